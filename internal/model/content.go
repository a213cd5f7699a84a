package model

// Source is a reference a module relies on.
type Source struct {
	Title     string `json:"title" yaml:"title"`
	Publisher string `json:"publisher" yaml:"publisher"`
	Year      int    `json:"year" yaml:"year"`
	URL       string `json:"url" yaml:"url"`
}

// Module is one unit of the curriculum: ordered lessons and one quiz.
// Title, Summary, Objectives and ContentWarning are in the module's base
// language (English); Translations holds the other languages.
type Module struct {
	Slug           string   `json:"slug" yaml:"slug"`
	Title          string   `json:"title" yaml:"title"`
	Summary        string   `json:"summary" yaml:"summary"`
	Category       Category `json:"category" yaml:"category"`
	Cluster        Cluster  `json:"cluster" yaml:"cluster"`
	Readi          []Value  `json:"readi" yaml:"readi"`
	Level          string   `json:"level" yaml:"level"`
	Minutes        int      `json:"minutes" yaml:"minutes"`
	Objectives     []string `json:"objectives" yaml:"objectives"`
	ContentWarning string   `json:"content_warning,omitempty" yaml:"content_warning"`
	Sources        []Source `json:"sources" yaml:"sources"`

	// Track, TrackTitle and Position place the module in curriculum.yaml.
	Track      string `json:"track,omitempty" yaml:"-"`
	TrackTitle string `json:"track_title,omitempty" yaml:"-"`
	Position   int    `json:"position" yaml:"-"`

	Lessons      []Lesson                     `json:"lessons,omitempty" yaml:"-"`
	Quiz         *Quiz                        `json:"quiz,omitempty" yaml:"-"`
	Translations map[string]ModuleTranslation `json:"translations,omitempty" yaml:"-"`
}

// ModuleTranslation carries the learner-facing text of a module in one
// other language. Slugs and question ids are those of the base module.
type ModuleTranslation struct {
	Title          string              `json:"title"`
	Summary        string              `json:"summary"`
	Objectives     []string            `json:"objectives,omitempty"`
	ContentWarning string              `json:"content_warning,omitempty"`
	Lessons        map[string]Lesson   `json:"lessons,omitempty"`   // by lesson slug
	Questions      map[string]Question `json:"questions,omitempty"` // by question id
}

// Lesson is one page of reading. Markdown is what authors write; HTML is
// the sanitised rendering learners receive.
type Lesson struct {
	Slug     string  `json:"slug" yaml:"slug"`
	Title    string  `json:"title" yaml:"title"`
	Readi    []Value `json:"readi" yaml:"readi"`
	Minutes  int     `json:"minutes" yaml:"minutes"`
	Markdown string  `json:"markdown,omitempty" yaml:"-"`
	HTML     string  `json:"html,omitempty" yaml:"-"`
}

// Quiz is a module's question bank.
type Quiz struct {
	PassPercent int        `json:"pass_percent" yaml:"pass_percent"`
	Questions   []Question `json:"questions" yaml:"questions"`
}

// QuestionType names the seven kinds of question (design section 5).
type QuestionType string

// The question types.
const (
	Single    QuestionType = "single"
	Multiple  QuestionType = "multiple"
	TrueFalse QuestionType = "true_false"
	Ordering  QuestionType = "ordering"
	Matching  QuestionType = "matching"
	RedFlags  QuestionType = "red_flags"
	Scenario  QuestionType = "scenario"
)

// QuestionTypes lists every question type.
var QuestionTypes = []QuestionType{Single, Multiple, TrueFalse, Ordering, Matching, RedFlags, Scenario}

// Valid reports whether t is a known question type.
func (t QuestionType) Valid() bool {
	for _, k := range QuestionTypes {
		if t == k {
			return true
		}
	}
	return false
}

// Question is one authored question, answer key included. It never leaves
// the server as is: learners receive a PublicQuestion.
//
// Which fields are used depends on Type:
//   - single, multiple: Options (Correct marks the key)
//   - true_false: Answer, FeedbackTrue, FeedbackFalse
//   - ordering: Items, in the correct order
//   - matching: Pairs
//   - red_flags: Message
//   - scenario: Steps; the first step is the start, a choice without Next ends the story
type Question struct {
	ID          string       `json:"id" yaml:"id"`
	Type        QuestionType `json:"type" yaml:"type"`
	Readi       []Value      `json:"readi" yaml:"readi"`
	Prompt      string       `json:"prompt" yaml:"prompt"`
	Explanation string       `json:"explanation" yaml:"explanation"`
	// Points is the question's weight in the quiz score; 0 means 1.
	Points float64 `json:"points,omitempty" yaml:"points"`

	Options       []Option `json:"options,omitempty" yaml:"options"`
	Answer        *bool    `json:"answer,omitempty" yaml:"answer"`
	FeedbackTrue  string   `json:"feedback_true,omitempty" yaml:"feedback_true"`
	FeedbackFalse string   `json:"feedback_false,omitempty" yaml:"feedback_false"`
	Items         []Item   `json:"items,omitempty" yaml:"items"`
	Pairs         []Pair   `json:"pairs,omitempty" yaml:"pairs"`
	Message       *Message `json:"message,omitempty" yaml:"message"`
	Steps         []Step   `json:"steps,omitempty" yaml:"steps"`
}

// Weight is the question's share of the quiz score.
func (q Question) Weight() float64 {
	if q.Points <= 0 {
		return 1
	}
	return q.Points
}

// Option is a choice of a single or multiple question.
type Option struct {
	ID       string `json:"id" yaml:"id"`
	Text     string `json:"text" yaml:"text"`
	Correct  bool   `json:"correct,omitempty" yaml:"correct"`
	Feedback string `json:"feedback,omitempty" yaml:"feedback"`
}

// Item is an element of an ordering question.
type Item struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
}

// Pair is one correct match of a matching question. Left and right ids are
// independent so the public ids do not give the key away.
type Pair struct {
	Left     Item   `json:"left" yaml:"left"`
	Right    Item   `json:"right" yaml:"right"`
	Feedback string `json:"feedback,omitempty" yaml:"feedback"`
}

// Channels a red_flags message can arrive by.
var Channels = []string{"sms", "email", "chat", "social"}

// Message is the realistic SMS, e-mail, chat or post of a red_flags question.
type Message struct {
	Channel  string    `json:"channel" yaml:"channel"`
	Sender   string    `json:"sender" yaml:"sender"`
	Subject  string    `json:"subject,omitempty" yaml:"subject"`
	Segments []Segment `json:"segments" yaml:"segments"`
}

// Segment is a piece of a message that a learner may mark as suspicious.
type Segment struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
	Flag bool   `json:"flag,omitempty" yaml:"flag"`
	Why  string `json:"why,omitempty" yaml:"why"`
}

// Step is a moment of a scenario story.
type Step struct {
	ID      string   `json:"id" yaml:"id"`
	Text    string   `json:"text" yaml:"text"`
	Choices []Choice `json:"choices" yaml:"choices"`
}

// Choice leads from one step to the next; an empty Next ends the story.
type Choice struct {
	ID       string  `json:"id" yaml:"id"`
	Text     string  `json:"text" yaml:"text"`
	Next     string  `json:"next,omitempty" yaml:"next"`
	Points   float64 `json:"points,omitempty" yaml:"points"`
	Feedback string  `json:"feedback,omitempty" yaml:"feedback"`
}
