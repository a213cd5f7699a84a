package admin

import (
	"bytes"
	"fmt"
	"path"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/readi-platform/readi/internal/model"
)

// The file shapes of docs/content-format.md, for writing. They mirror the
// model's YAML tags but leave out what is empty, so an exported pack reads
// like a hand-written one. readi lists are written inline, as authors do.
type (
	moduleFile struct {
		Slug           string         `yaml:"slug"`
		Title          string         `yaml:"title"`
		Summary        string         `yaml:"summary"`
		Category       model.Category `yaml:"category"`
		Cluster        model.Cluster  `yaml:"cluster"`
		Readi          []model.Value  `yaml:"readi,flow"`
		Level          string         `yaml:"level"`
		Minutes        int            `yaml:"minutes"`
		Objectives     []string       `yaml:"objectives"`
		ContentWarning string         `yaml:"content_warning,omitempty"`
		Sources        []model.Source `yaml:"sources"`
	}
	trModuleFile struct {
		Title          string   `yaml:"title,omitempty"`
		Summary        string   `yaml:"summary,omitempty"`
		Objectives     []string `yaml:"objectives,omitempty"`
		ContentWarning string   `yaml:"content_warning,omitempty"`
	}
	frontMatter struct {
		Slug    string        `yaml:"slug"`
		Title   string        `yaml:"title,omitempty"`
		Readi   []model.Value `yaml:"readi,flow,omitempty"`
		Minutes int           `yaml:"minutes,omitempty"`
	}
	quizFile struct {
		PassPercent int            `yaml:"pass_percent,omitempty"`
		Questions   []questionFile `yaml:"questions"`
	}
	// questionFile serves both the base quiz and a translation's, whose
	// questions carry only their id and text.
	questionFile struct {
		ID            string             `yaml:"id"`
		Type          model.QuestionType `yaml:"type,omitempty"`
		Readi         []model.Value      `yaml:"readi,flow,omitempty"`
		Points        float64            `yaml:"points,omitempty"`
		Prompt        string             `yaml:"prompt,omitempty"`
		Explanation   string             `yaml:"explanation,omitempty"`
		Options       []optionFile       `yaml:"options,omitempty"`
		Answer        *bool              `yaml:"answer,omitempty"`
		FeedbackTrue  string             `yaml:"feedback_true,omitempty"`
		FeedbackFalse string             `yaml:"feedback_false,omitempty"`
		Items         []itemFile         `yaml:"items,omitempty"`
		Pairs         []pairFile         `yaml:"pairs,omitempty"`
		Message       *messageFile       `yaml:"message,omitempty"`
		Steps         []stepFile         `yaml:"steps,omitempty"`
	}
	optionFile struct {
		ID       string  `yaml:"id"`
		Text     string  `yaml:"text,omitempty"`
		Correct  bool    `yaml:"correct,omitempty"`
		Next     string  `yaml:"next,omitempty"`
		Points   float64 `yaml:"points,omitempty"`
		Feedback string  `yaml:"feedback,omitempty"`
	}
	itemFile struct {
		ID   string `yaml:"id"`
		Text string `yaml:"text,omitempty"`
	}
	pairFile struct {
		Left     itemFile `yaml:"left"`
		Right    itemFile `yaml:"right"`
		Feedback string   `yaml:"feedback,omitempty"`
	}
	messageFile struct {
		Channel  string        `yaml:"channel,omitempty"`
		Sender   string        `yaml:"sender,omitempty"`
		Subject  string        `yaml:"subject,omitempty"`
		Segments []segmentFile `yaml:"segments,omitempty"`
	}
	segmentFile struct {
		ID   string `yaml:"id"`
		Text string `yaml:"text,omitempty"`
		Flag bool   `yaml:"flag,omitempty"`
		Why  string `yaml:"why,omitempty"`
	}
	stepFile struct {
		ID      string       `yaml:"id"`
		Text    string       `yaml:"text,omitempty"`
		Choices []optionFile `yaml:"choices,omitempty"`
	}
	curriculumFile struct {
		Tracks []trackFile `yaml:"tracks"`
	}
	trackFile struct {
		Slug    string   `yaml:"slug"`
		Title   string   `yaml:"title"`
		Modules []string `yaml:"modules,flow"`
	}
)

// moduleFiles writes one module as pack files (paths below its slug):
// module.yaml, NN-slug.md lessons, quiz.yaml and a folder per translation.
func moduleFiles(m model.Module, files map[string][]byte) error {
	dir := m.Slug
	put := func(name string, v any) error {
		b, err := encodeYAML(v)
		if err == nil {
			files[path.Join(dir, name)] = b
		}
		return err
	}
	if err := put("module.yaml", moduleFile{Slug: m.Slug, Title: m.Title, Summary: m.Summary, Category: m.Category,
		Cluster: m.Cluster, Readi: m.Readi, Level: m.Level, Minutes: m.Minutes, Objectives: m.Objectives,
		ContentWarning: m.ContentWarning, Sources: m.Sources}); err != nil {
		return err
	}
	names := make(map[string]string, len(m.Lessons))
	for i, l := range m.Lessons {
		names[l.Slug] = fmt.Sprintf("%02d-%s.md", i+1, l.Slug)
		b, err := lessonFile(frontMatter{Slug: l.Slug, Title: l.Title, Readi: l.Readi, Minutes: l.Minutes}, l.Markdown)
		if err != nil {
			return err
		}
		files[path.Join(dir, names[l.Slug])] = b
	}
	if m.Quiz != nil {
		q := quizFile{PassPercent: m.Quiz.PassPercent, Questions: []questionFile{}}
		for _, qu := range m.Quiz.Questions {
			q.Questions = append(q.Questions, questionOf(qu))
		}
		if err := put("quiz.yaml", q); err != nil {
			return err
		}
	}
	for _, lang := range sortedKeys(m.Translations) {
		tr := m.Translations[lang]
		if tr.Title != "" || tr.Summary != "" || len(tr.Objectives) > 0 || tr.ContentWarning != "" {
			if err := put(lang+"/module.yaml", trModuleFile{Title: tr.Title, Summary: tr.Summary,
				Objectives: tr.Objectives, ContentWarning: tr.ContentWarning}); err != nil {
				return err
			}
		}
		for slug, l := range tr.Lessons {
			if names[slug] == "" {
				continue // no base lesson: such a module never passes validation
			}
			b, err := lessonFile(frontMatter{Slug: slug, Title: l.Title}, l.Markdown)
			if err != nil {
				return err
			}
			files[path.Join(dir, lang, names[slug])] = b
		}
		if len(tr.Questions) > 0 && m.Quiz != nil {
			q := quizFile{}
			for _, qu := range m.Quiz.Questions { // in the base quiz's order
				if tq, ok := tr.Questions[qu.ID]; ok {
					tq.ID = qu.ID
					q.Questions = append(q.Questions, questionOf(tq))
				}
			}
			if err := put(lang+"/quiz.yaml", q); err != nil {
				return err
			}
		}
	}
	return nil
}

// lessonFile is front matter between --- lines, then the Markdown body as
// it was written.
func lessonFile(fm frontMatter, body string) ([]byte, error) {
	front, err := encodeYAML(fm)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(front)
	b.WriteString("---\n")
	b.WriteString(body)
	return b.Bytes(), nil
}

func questionOf(q model.Question) questionFile {
	f := questionFile{ID: q.ID, Type: q.Type, Readi: q.Readi, Points: q.Points, Prompt: q.Prompt,
		Explanation: q.Explanation, Answer: q.Answer, FeedbackTrue: q.FeedbackTrue, FeedbackFalse: q.FeedbackFalse}
	for _, o := range q.Options {
		f.Options = append(f.Options, optionFile{ID: o.ID, Text: o.Text, Correct: o.Correct, Feedback: o.Feedback})
	}
	for _, it := range q.Items {
		f.Items = append(f.Items, itemFile(it))
	}
	for _, p := range q.Pairs {
		f.Pairs = append(f.Pairs, pairFile{Left: itemFile(p.Left), Right: itemFile(p.Right), Feedback: p.Feedback})
	}
	if q.Message != nil {
		f.Message = &messageFile{Channel: q.Message.Channel, Sender: q.Message.Sender, Subject: q.Message.Subject}
		for _, s := range q.Message.Segments {
			f.Message.Segments = append(f.Message.Segments, segmentFile(s))
		}
	}
	for _, st := range q.Steps {
		sf := stepFile{ID: st.ID, Text: st.Text}
		for _, c := range st.Choices {
			sf.Choices = append(sf.Choices, optionFile{ID: c.ID, Text: c.Text, Next: c.Next, Points: c.Points, Feedback: c.Feedback})
		}
		f.Steps = append(f.Steps, sf)
	}
	return f
}

// curriculumYAML lists the modules' tracks in curriculum order (by the
// position of each track's first module), each with its modules by
// position and the title its modules carry.
func curriculumYAML(mods []model.Module) ([]byte, error) {
	mods = append([]model.Module(nil), mods...)
	sort.SliceStable(mods, func(i, j int) bool { return mods[i].Position < mods[j].Position })
	tracks := []trackFile{}
	index := map[string]int{}
	for _, m := range mods {
		i, ok := index[m.Track]
		if !ok {
			i, index[m.Track] = len(tracks), len(tracks)
			tracks = append(tracks, trackFile{Slug: m.Track, Title: titleOf(m.Track)})
		}
		if m.TrackTitle != "" && tracks[i].Title == titleOf(m.Track) {
			tracks[i].Title = m.TrackTitle
		}
		tracks[i].Modules = append(tracks[i].Modules, m.Slug)
	}
	return encodeYAML(curriculumFile{Tracks: tracks})
}

// titleOf makes a title of a track slug nobody gave one: first-steps →
// "First steps".
func titleOf(slug string) string {
	b := []byte(slug)
	for i := range b {
		if b[i] == '-' {
			b[i] = ' '
		}
	}
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

func encodeYAML(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
