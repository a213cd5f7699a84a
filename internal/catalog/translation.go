package catalog

import (
	"io/fs"
	"path"
	"regexp"

	"gopkg.in/yaml.v3"

	"github.com/readi-platform/readi/internal/model"
)

// langRE is a lower-case language tag: th, fil, zh-hant.
var langRE = regexp.MustCompile(`^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$`)

// The tr* types are what translation files may hold: text only. Decoding
// with KnownFields into them rejects any attempt to change structure, keys
// or points (correct, answer, flag, next, points, type, readi, ...).
type (
	trModule struct {
		Title          string   `yaml:"title"`
		Summary        string   `yaml:"summary"`
		Objectives     []string `yaml:"objectives"`
		ContentWarning string   `yaml:"content_warning"`
	}
	trLesson struct {
		Slug  string `yaml:"slug"`
		Title string `yaml:"title"`
	}
	trQuiz struct {
		Questions []trQuestion `yaml:"questions"`
	}
	trQuestion struct {
		ID            string       `yaml:"id"`
		Prompt        string       `yaml:"prompt"`
		Explanation   string       `yaml:"explanation"`
		Options       []trOption   `yaml:"options"`
		FeedbackTrue  string       `yaml:"feedback_true"`
		FeedbackFalse string       `yaml:"feedback_false"`
		Items         []model.Item `yaml:"items"`
		Pairs         []model.Pair `yaml:"pairs"` // Pair is already text only
		Message       *trMessage   `yaml:"message"`
		Steps         []trStep     `yaml:"steps"`
	}
	trOption struct {
		ID       string `yaml:"id"`
		Text     string `yaml:"text"`
		Feedback string `yaml:"feedback"`
	}
	trMessage struct {
		Sender   string      `yaml:"sender"`
		Subject  string      `yaml:"subject"`
		Segments []trSegment `yaml:"segments"`
	}
	trSegment struct {
		ID   string `yaml:"id"`
		Text string `yaml:"text"`
		Why  string `yaml:"why"`
	}
	trStep struct {
		ID      string     `yaml:"id"`
		Text    string     `yaml:"text"`
		Choices []trOption `yaml:"choices"` // a choice's text fields are an option's
	}
)

// question turns a translated question into a model.Question carrying only text.
func (t trQuestion) question() model.Question {
	q := model.Question{ID: t.ID, Prompt: t.Prompt, Explanation: t.Explanation,
		FeedbackTrue: t.FeedbackTrue, FeedbackFalse: t.FeedbackFalse, Items: t.Items, Pairs: t.Pairs}
	for _, o := range t.Options {
		q.Options = append(q.Options, model.Option{ID: o.ID, Text: o.Text, Feedback: o.Feedback})
	}
	if t.Message != nil {
		q.Message = &model.Message{Sender: t.Message.Sender, Subject: t.Message.Subject}
		for _, s := range t.Message.Segments {
			q.Message.Segments = append(q.Message.Segments, model.Segment{ID: s.ID, Text: s.Text, Why: s.Why})
		}
	}
	for _, st := range t.Steps {
		step := model.Step{ID: st.ID, Text: st.Text}
		for _, ch := range st.Choices {
			step.Choices = append(step.Choices, model.Choice{ID: ch.ID, Text: ch.Text, Feedback: ch.Feedback})
		}
		q.Steps = append(q.Steps, step)
	}
	return q
}

// loadTranslation reads the <lang>/ folder of the module. Its lesson files
// must carry the names of base lesson files; whether the ids inside exist in
// the base is left to validateTranslations.
func (lm *loadedModule) loadTranslation(fsys fs.FS, c *collector, lang string) {
	dir := path.Join(lm.dir, lang)
	if !langRE.MatchString(lang) || lang == "en" {
		c.add(dir, 0, "folder %s is not a translation: name it with a lower-case language tag other than en (th, vi, fil, ...)", lang)
		return
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		c.fail(dir, 0, "cannot read translation folder: %v", err)
		return
	}
	prefix := "translations." + lang
	lm.index.set(prefix, location{dir, 0})
	tr := model.ModuleTranslation{}
	for _, e := range entries {
		name, file := e.Name(), path.Join(dir, e.Name())
		switch {
		case hidden(name):
		case !e.IsDir() && name == "module.yaml":
			var tm trModule
			if root := readYAML(fsys, c, file, "translation", &tm, true); root != nil {
				lm.index.addNode(prefix, root, file, 0)
				tr.Title, tr.Summary, tr.Objectives, tr.ContentWarning = tm.Title, tm.Summary, tm.Objectives, tm.ContentWarning
			}
		case !e.IsDir() && name == "quiz.yaml":
			tr.Questions = lm.loadTranslatedQuiz(fsys, c, file, prefix)
		case !e.IsDir() && lm.lessons[name] != "":
			slug := lm.lessons[name]
			if tr.Lessons == nil {
				tr.Lessons = map[string]model.Lesson{}
			}
			tr.Lessons[slug] = lm.loadTranslatedLesson(fsys, c, file, prefix+".lessons."+slug)
		case !e.IsDir() && lessonFileRE.MatchString(name):
			c.add(file, 0, "translated lesson has no base lesson %s in %s", name, lm.dir)
		default:
			c.add(file, 0, "unexpected file: a translation folder holds module.yaml, quiz.yaml and lesson files named like the base ones")
		}
	}
	if lm.module.Translations == nil {
		lm.module.Translations = map[string]model.ModuleTranslation{}
	}
	lm.module.Translations[lang] = tr
}

func (lm *loadedModule) loadTranslatedLesson(fsys fs.FS, c *collector, file, p string) model.Lesson {
	var l model.Lesson
	lm.index.set(p, location{file, 1})
	front, body, bodyLine, ok := readLessonFile(fsys, c, file)
	if ok {
		var fm trLesson
		if root := decodeYAML(c, file, front, 1, "front matter", &fm, true); root != nil {
			lm.index.addNode(p, root, file, 1)
			l.Slug, l.Title = fm.Slug, fm.Title
		}
	}
	lm.index.set(p+".markdown", location{file, bodyLine})
	l.Markdown = body
	l.HTML = RenderLesson(lm.dir, body)
	return l
}

// loadTranslatedQuiz reads a translated quiz.yaml into questions keyed by
// id, indexing each under translations.<lang>.questions.<id>.
func (lm *loadedModule) loadTranslatedQuiz(fsys fs.FS, c *collector, file, prefix string) map[string]model.Question {
	var tq trQuiz
	root := readYAML(fsys, c, file, "translation", &tq, true)
	if root == nil {
		return nil
	}
	var nodes []*yaml.Node
	if seq := mapValue(root, "questions"); seq != nil && seq.Kind == yaml.SequenceNode {
		nodes = seq.Content
	}
	out := map[string]model.Question{}
	for i, t := range tq.Questions {
		line := 1
		if i < len(nodes) {
			line = nodes[i].Line
		}
		switch _, dup := out[t.ID]; {
		case t.ID == "":
			c.add(file, line, "translated question %d needs the id of a base question", i+1)
		case dup:
			c.add(file, line, "question %s is translated twice", t.ID)
		default:
			p := prefix + ".questions." + t.ID
			lm.index.set(p, location{file, line})
			if i < len(nodes) {
				lm.index.addNode(p, nodes[i], file, 0)
			}
			out[t.ID] = t.question()
		}
	}
	return out
}

// mapValue is the value of key in mapping node n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
