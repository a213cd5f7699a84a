package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/readi-platform/readi/internal/model"
)

// ErrStale reports a save or publish based on a revision that is no longer
// the newest: someone else saved in between.
var ErrStale = errors.New("the module has a newer revision")

// ErrExists reports an attempt to create a module whose slug is taken.
var ErrExists = errors.New("a module with this slug exists")

// ModuleState is where one module stands in the editor: its newest
// revision (head), the revision learners see when it was published from
// the editor, and whether an admin deleted it. A pack module nobody has
// edited has no state.
type ModuleState struct {
	Slug              string    `json:"slug"`
	HeadRevision      int       `json:"head_revision"`
	PublishedRevision *int      `json:"published_revision"`
	Deleted           bool      `json:"deleted"`
	UpdatedBy         *int64    `json:"updated_by"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// Revision is one saved version of a module: the whole document (lesson
// Markdown, quiz, translations; no rendered HTML), who saved it and why.
type Revision struct {
	ID         int64        `json:"id"`
	ModuleSlug string       `json:"module_slug"`
	Number     int          `json:"number"`
	AuthorID   *int64       `json:"author_id"`
	AuthorName *string      `json:"author_name"`
	Note       string       `json:"note"`
	CreatedAt  time.Time    `json:"created_at"`
	Module     model.Module `json:"-" gorm:"-"`
}

type revisionRow struct {
	ID         int64
	ModuleSlug string
	Number     int
	Doc        string
	AuthorID   *int64
	Note       string
	CreatedAt  time.Time
}

// revisionJoined is a revision row with its author's display name, spelt
// out: GORM leaves the fields of an embedded unexported struct unset.
type revisionJoined struct {
	ID         int64
	ModuleSlug string
	Number     int
	Doc        string
	AuthorID   *int64
	Note       string
	CreatedAt  time.Time
	AuthorName *string
}

const (
	statesTable    = "module_authoring"
	revisionsTable = "module_revisions"
)

// Save modes: what must be true of the slug before a save.
const (
	SaveExisting = iota // the module exists and is not deleted
	SaveCreate          // no live module has the slug (a deleted one is revived)
	SaveRestore         // the module exists, deleted or not; the save revives it
)

// ModuleEdit is one save of a module in the editor.
type ModuleEdit struct {
	Slug    string
	ActorID int64 // 0 is the command line
	// Base is the head revision the client edited (If-Match); nil saves
	// on top of whatever is newest. 0 names a pack module never edited.
	Base   *int
	Mode   int
	Note   string
	Action string // for the audit log, e.g. "lesson.update"
	// Apply changes the head document in place and returns what the audit
	// log records before and after. It runs inside the transaction, on the
	// head as it is there, so two saves never lose each other's changes.
	Apply func(m *model.Module) (before, after any, err error)
}

// SaveModule applies one edit as a new revision, in one transaction with
// its audit entry. The first edit of a pack module first records the
// published content as revision 1, so the edit can be diffed and undone.
// An edit that changes nothing writes nothing; changed is then false.
func (s *Store) SaveModule(ctx context.Context, e ModuleEdit) (st ModuleState, head model.Module, changed bool, err error) {
	err = s.tx(ctx, func(db *gorm.DB) error {
		cur, found, err := s.lockState(db, e.Slug)
		if err != nil {
			return err
		}
		var pub StoredModule
		pubErr := ErrNotFound
		if !found { // a pack module nobody has edited yet?
			if pub, pubErr = publishedModule(db, e.Slug); pubErr != nil && !errors.Is(pubErr, ErrNotFound) {
				return pubErr
			}
		}
		live := (found && !cur.Deleted) || (!found && pubErr == nil)
		switch {
		case e.Mode == SaveCreate && live:
			return ErrExists
		case e.Mode == SaveExisting && !live, e.Mode == SaveRestore && !found && pubErr != nil:
			return ErrNotFound
		}
		if e.Base != nil && *e.Base != cur.HeadRevision {
			return ErrStale
		}
		switch {
		case found:
			if head, err = revisionDoc(db, e.Slug, cur.HeadRevision); err != nil {
				return err
			}
		case pubErr == nil:
			head = WithoutHTML(pub.Module)
			if cur, err = appendRevision(db, cur, found, head, 0, "the published content before the first edit"); err != nil {
				return err
			}
			found = true
		default:
			head = model.Module{Slug: e.Slug}
		}
		wasDeleted := cur.Deleted
		before := docHash(head)
		b, a, err := e.Apply(&head)
		if err != nil {
			return err
		}
		if found && docHash(head) == before && !wasDeleted {
			st = cur
			return nil
		}
		changed = true
		cur.Deleted = false
		if st, err = appendRevision(db, cur, found, head, e.ActorID, e.Note); err != nil {
			return err
		}
		return insertAudit(db, e.ActorID, e.Action, "module:"+e.Slug, b, a)
	})
	if isUniqueViolation(err) { // a concurrent first save of the same slug won
		err = ErrStale
		if e.Mode == SaveCreate {
			err = ErrExists
		}
	}
	return st, head, changed, err
}

// lockState reads a module's state, locking its row on PostgreSQL (SQLite
// transactions are IMMEDIATE: one writer at a time already). Content
// writers also take the pack import's advisory lock, so a replica importing
// its pack at start-up never interleaves with a publish.
func (s *Store) lockState(db *gorm.DB, slug string) (ModuleState, bool, error) {
	q := db.Table(statesTable).Where("slug = ?", slug)
	if s.dialect == Postgres {
		if err := db.Exec("SELECT pg_advisory_xact_lock(7274735)").Error; err != nil {
			return ModuleState{}, false, err
		}
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []ModuleState
	if err := q.Find(&rows).Error; err != nil {
		return ModuleState{}, false, err
	}
	if len(rows) == 0 {
		return ModuleState{Slug: slug}, false, nil
	}
	return rows[0], true, nil
}

// appendRevision stores doc as the next revision and moves the head to it.
func appendRevision(db *gorm.DB, st ModuleState, exists bool, doc model.Module, actorID int64, note string) (ModuleState, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return st, err
	}
	now := time.Now().UTC()
	row := revisionRow{ModuleSlug: st.Slug, Number: st.HeadRevision + 1, Doc: string(raw), AuthorID: actorPtr(actorID),
		Note: note, CreatedAt: now}
	if err := db.Table(revisionsTable).Create(&row).Error; err != nil {
		return st, err
	}
	st.HeadRevision, st.UpdatedBy, st.UpdatedAt = row.Number, row.AuthorID, now
	return st, saveState(db, st, exists)
}

func saveState(db *gorm.DB, st ModuleState, exists bool) error {
	if !exists {
		return db.Table(statesTable).Create(&st).Error
	}
	return db.Table(statesTable).Where("slug = ?", st.Slug).Select("*").Updates(&st).Error
}

func revisionDoc(db *gorm.DB, slug string, number int) (model.Module, error) {
	var row revisionRow
	if err := db.Table(revisionsTable).Where("module_slug = ? AND number = ?", slug, number).Take(&row).Error; err != nil {
		return model.Module{}, notFound(err)
	}
	var m model.Module
	if err := json.Unmarshal([]byte(row.Doc), &m); err != nil {
		return m, fmt.Errorf("revision %d of %s: %w", number, slug, err)
	}
	return m, nil
}

// docHash fingerprints a document to tell a real change from a no-op save.
func docHash(m model.Module) string {
	_, sum, _ := hashJSON(m)
	return sum
}

func actorPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// WithoutHTML drops the rendered HTML of every lesson and translated
// lesson: revisions keep what authors write, and publishing renders it.
func WithoutHTML(m model.Module) model.Module {
	m.Lessons = append([]model.Lesson(nil), m.Lessons...)
	for i := range m.Lessons {
		m.Lessons[i].HTML = ""
	}
	if m.Translations != nil {
		trs := make(map[string]model.ModuleTranslation, len(m.Translations))
		for lang, tr := range m.Translations {
			if tr.Lessons != nil {
				ls := make(map[string]model.Lesson, len(tr.Lessons))
				for slug, l := range tr.Lessons {
					l.HTML = ""
					ls[slug] = l
				}
				tr.Lessons = ls
			}
			trs[lang] = tr
		}
		m.Translations = trs
	}
	return m
}

// ModuleStates lists the editor state of every module that has one.
func (s *Store) ModuleStates(ctx context.Context) ([]ModuleState, error) {
	var out []ModuleState
	err := s.read(ctx).Table(statesTable).Order("slug").Find(&out).Error
	return out, err
}

// ModuleStateOf returns one module's editor state, or ErrNotFound when
// nobody has edited it.
func (s *Store) ModuleStateOf(ctx context.Context, slug string) (ModuleState, error) {
	var st ModuleState
	err := s.read(ctx).Table(statesTable).Where("slug = ?", slug).Take(&st).Error
	return st, notFound(err)
}

// HeadDocuments returns the head revision's document of every module with
// an editor state, by slug, in one query.
func (s *Store) HeadDocuments(ctx context.Context) (map[string]model.Module, error) {
	var rows []revisionRow
	err := s.read(ctx).Table(revisionsTable + " r").Select("r.*").
		Joins("JOIN " + statesTable + " a ON a.slug = r.module_slug AND a.head_revision = r.number").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]model.Module, len(rows))
	for _, r := range rows {
		var m model.Module
		if err := json.Unmarshal([]byte(r.Doc), &m); err != nil {
			return nil, fmt.Errorf("revision %d of %s: %w", r.Number, r.ModuleSlug, err)
		}
		out[r.ModuleSlug] = m
	}
	return out, nil
}

// Revisions lists a module's revisions newest first, without their
// documents, with their authors' display names. Before is the pagination
// cursor: revisions numbered below it (0: from the newest).
func (s *Store) Revisions(ctx context.Context, slug string, before, limit int) ([]Revision, error) {
	db := s.read(ctx).Table(revisionsTable+" r").
		Select("r.id, r.module_slug, r.number, r.author_id, r.note, r.created_at, u.display_name AS author_name").
		Joins("LEFT JOIN users u ON u.id = r.author_id").Where("r.module_slug = ?", slug)
	if before > 0 {
		db = db.Where("r.number < ?", before)
	}
	var out []Revision
	err := db.Order("r.number DESC").Limit(limit).Find(&out).Error
	return out, err
}

// RevisionOf returns one revision with its document, or ErrNotFound.
func (s *Store) RevisionOf(ctx context.Context, slug string, number int) (Revision, error) {
	var row revisionJoined
	err := s.read(ctx).Table(revisionsTable+" r").Select("r.*, u.display_name AS author_name").
		Joins("LEFT JOIN users u ON u.id = r.author_id").
		Where("r.module_slug = ? AND r.number = ?", slug, number).Take(&row).Error
	if err != nil {
		return Revision{}, notFound(err)
	}
	rev := Revision{ID: row.ID, ModuleSlug: row.ModuleSlug, Number: row.Number, AuthorID: row.AuthorID,
		AuthorName: row.AuthorName, Note: row.Note, CreatedAt: row.CreatedAt}
	if err := json.Unmarshal([]byte(row.Doc), &rev.Module); err != nil {
		return rev, fmt.Errorf("revision %d of %s: %w", number, slug, err)
	}
	return rev, nil
}
