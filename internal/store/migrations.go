package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one forward-only schema step. SQL uses placeholders that
// differ between the engines: %PK% (an auto-increment primary key), %TS% (a
// timestamp column) and %FLOAT%.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the whole schema history. Append only: a released
// migration is never edited, because databases in the field record it as done.
var migrations = []migration{
	{1, "accounts", `
CREATE TABLE users (
	id %PK%,
	email TEXT UNIQUE,
	password_hash TEXT NOT NULL DEFAULT '',
	recovery_hash TEXT UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL,
	locale TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	created_at %TS% NOT NULL,
	updated_at %TS% NOT NULL
);
CREATE TABLE refresh_tokens (
	id %PK%,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	family TEXT NOT NULL,
	expires_at %TS% NOT NULL,
	used_at %TS%,
	revoked_at %TS%,
	created_at %TS% NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);`},
	{2, "content", `
CREATE TABLE modules (
	id %PK%,
	slug TEXT NOT NULL UNIQUE,
	source TEXT NOT NULL,
	track TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL,
	category TEXT NOT NULL,
	cluster TEXT NOT NULL,
	level TEXT NOT NULL,
	minutes INTEGER NOT NULL,
	readi TEXT NOT NULL,
	pass_percent INTEGER NOT NULL,
	published BOOLEAN NOT NULL,
	content_hash TEXT NOT NULL,
	doc TEXT NOT NULL,
	created_at %TS% NOT NULL,
	updated_at %TS% NOT NULL
);
CREATE TABLE lessons (
	id %PK%,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	slug TEXT NOT NULL,
	position INTEGER NOT NULL,
	removed BOOLEAN NOT NULL DEFAULT FALSE,
	content_hash TEXT NOT NULL,
	doc TEXT NOT NULL,
	updated_at %TS% NOT NULL,
	UNIQUE (module_id, slug)
);
CREATE TABLE questions (
	id TEXT PRIMARY KEY,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	type TEXT NOT NULL,
	version INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	doc TEXT NOT NULL,
	updated_at %TS% NOT NULL
);
CREATE INDEX questions_module ON questions(module_id);
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at %TS% NOT NULL
);`},
	{3, "learning", `
CREATE TABLE lesson_completions (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	lesson_id BIGINT NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	completed_at %TS% NOT NULL,
	PRIMARY KEY (user_id, lesson_id)
);
CREATE TABLE attempts (
	id %PK%,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	idempotency_key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	score %FLOAT% NOT NULL,
	max_score %FLOAT% NOT NULL,
	percent %FLOAT% NOT NULL,
	passed BOOLEAN NOT NULL,
	results TEXT NOT NULL,
	answers TEXT NOT NULL,
	created_at %TS% NOT NULL,
	UNIQUE (user_id, idempotency_key)
);
CREATE INDEX attempts_user_module ON attempts(user_id, module_id);
CREATE TABLE module_progress (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	attempts INTEGER NOT NULL,
	best_percent %FLOAT% NOT NULL,
	last_percent %FLOAT% NOT NULL,
	passed BOOLEAN NOT NULL,
	last_attempt_id BIGINT NOT NULL,
	updated_at %TS% NOT NULL,
	PRIMARY KEY (user_id, module_id)
);`},
	{4, "classes", `
CREATE TABLE classes (
	id %PK%,
	name TEXT NOT NULL,
	join_code TEXT UNIQUE,
	archived BOOLEAN NOT NULL DEFAULT FALSE,
	owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at %TS% NOT NULL,
	updated_at %TS% NOT NULL
);
CREATE TABLE class_teachers (
	class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	added_at %TS% NOT NULL,
	PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_teachers_user ON class_teachers(user_id);
CREATE TABLE class_members (
	class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	joined_at %TS% NOT NULL,
	PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_members_user ON class_members(user_id);
CREATE TABLE assignments (
	id %PK%,
	class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	module_id BIGINT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
	due_at %TS%,
	created_by BIGINT,
	created_at %TS% NOT NULL,
	updated_at %TS% NOT NULL,
	UNIQUE (class_id, module_id)
);
CREATE INDEX lesson_completions_module ON lesson_completions(module_id, user_id);
CREATE INDEX module_progress_module ON module_progress(module_id);`},
	// Authoring: every save of a module is a full revision (author ids are
	// not foreign keys, so erasing an account keeps the history and the
	// audit trail); module_authoring is the head, the published revision
	// and the deleted mark per slug.
	{5, "authoring", `
CREATE TABLE module_revisions (
	id %PK%,
	module_slug TEXT NOT NULL,
	number INTEGER NOT NULL,
	doc TEXT NOT NULL,
	author_id BIGINT,
	note TEXT NOT NULL DEFAULT '',
	created_at %TS% NOT NULL,
	UNIQUE (module_slug, number)
);
CREATE TABLE module_authoring (
	slug TEXT PRIMARY KEY,
	head_revision INTEGER NOT NULL,
	published_revision INTEGER,
	deleted BOOLEAN NOT NULL DEFAULT FALSE,
	updated_by BIGINT,
	updated_at %TS% NOT NULL
);
CREATE TABLE audit_log (
	id %PK%,
	actor_id BIGINT,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	before_doc TEXT,
	after_doc TEXT,
	created_at %TS% NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);`},
	// Result texts: the feedback and explanations of graded results, once
	// each by content hash, so attempt rows refer to them instead of
	// repeating them (see result_texts.go).
	{6, "result texts", `
CREATE TABLE result_texts (
	ref TEXT PRIMARY KEY,
	body TEXT NOT NULL
);`},
	// Attempts keep each question's scores and detail reference with its
	// answer (AttemptAnswer) and leave results empty, halving the row; and
	// attempts_user_module goes: every query by learner is served by the
	// (user_id, idempotency_key) index, and each index an attempt touches
	// is one more page per attempt in every group commit.
	{7, "leaner attempts", `
DROP INDEX IF EXISTS attempts_user_module;`},
	// Live games: the game row is the state machine (changed only by its
	// host, each change a new version), players hold a token of their own,
	// and each answer is a row under a unique (player, question) key, so no
	// answer is a read-modify-write of shared state. Clocks are server
	// milliseconds since the epoch. rate_counters count events per key and
	// window in the database, so a limit holds across replicas.
	{8, "live games", `
CREATE TABLE live_games (
	id %PK%,
	pin TEXT NOT NULL,
	host_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	module_slug TEXT NOT NULL,
	questions TEXT NOT NULL,
	time_limit_s INTEGER NOT NULL,
	team_count INTEGER NOT NULL DEFAULT 0,
	class_id BIGINT REFERENCES classes(id) ON DELETE SET NULL,
	player_cap INTEGER NOT NULL,
	player_count INTEGER NOT NULL DEFAULT 0,
	locked BOOLEAN NOT NULL DEFAULT FALSE,
	state TEXT NOT NULL,
	seq INTEGER NOT NULL DEFAULT 0,
	deadline_ms BIGINT,
	paused_ms BIGINT,
	version BIGINT NOT NULL DEFAULT 1,
	created_at %TS% NOT NULL,
	ended_at %TS%
);
CREATE UNIQUE INDEX live_games_open_pin ON live_games(pin) WHERE state <> 'ended';
CREATE INDEX live_games_host ON live_games(host_id, id);
CREATE INDEX live_games_class ON live_games(class_id);
CREATE TABLE live_players (
	id %PK%,
	game_id BIGINT NOT NULL REFERENCES live_games(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	nickname TEXT NOT NULL,
	nickname_key TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	lang TEXT NOT NULL,
	team TEXT NOT NULL DEFAULT '',
	first_seq INTEGER NOT NULL,
	removed BOOLEAN NOT NULL DEFAULT FALSE,
	joined_at %TS% NOT NULL,
	UNIQUE (game_id, nickname_key),
	UNIQUE (game_id, user_id)
);
CREATE TABLE live_answers (
	player_id BIGINT NOT NULL REFERENCES live_players(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	game_id BIGINT NOT NULL,
	question_id TEXT NOT NULL,
	answer TEXT NOT NULL,
	correct BOOLEAN NOT NULL,
	fraction %FLOAT% NOT NULL,
	points INTEGER NOT NULL,
	streak INTEGER NOT NULL,
	elapsed_ms INTEGER NOT NULL,
	received_ms BIGINT NOT NULL,
	PRIMARY KEY (player_id, seq)
);
CREATE INDEX live_answers_game ON live_answers(game_id, seq);
CREATE TABLE rate_counters (
	key TEXT NOT NULL,
	window_start BIGINT NOT NULL,
	hits INTEGER NOT NULL,
	PRIMARY KEY (key, window_start)
);`},
}

func (s *Store) dialectSQL(sql string) string {
	r := strings.NewReplacer(
		"%PK%", map[string]string{SQLite: "INTEGER PRIMARY KEY AUTOINCREMENT", Postgres: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"}[s.dialect],
		"%TS%", map[string]string{SQLite: "DATETIME", Postgres: "TIMESTAMPTZ"}[s.dialect],
		"%FLOAT%", "DOUBLE PRECISION",
	)
	return r.Replace(sql)
}

// Migrate applies every migration the database has not recorded, each in
// its own transaction, in order. Replicas starting together on PostgreSQL
// serialise on an advisory lock, so each step runs once.
func (s *Store) Migrate(ctx context.Context) (applied []int, err error) {
	if err := s.write(ctx).Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ` + s.dialectSQL("%TS%") + ` NOT NULL)`).Error; err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range migrations {
		ran := false
		err := s.tx(ctx, func(db *gorm.DB) error {
			if s.dialect == Postgres {
				if err := db.Exec("SELECT pg_advisory_xact_lock(7274734)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := db.Table("schema_migrations").Where("version = ?", m.version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range strings.Split(s.dialectSQL(m.sql), ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if err := db.Exec(stmt).Error; err != nil {
					return err
				}
			}
			ran = true
			return db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		if ran {
			applied = append(applied, m.version)
		}
	}
	return applied, nil
}

// SchemaVersion is the highest recorded migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v *int
	err := s.read(ctx).Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}
