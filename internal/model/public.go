package model

// PublicQuiz is a quiz as a learner receives it before answering: no answer
// key, no points, no feedback, no explanation.
type PublicQuiz struct {
	ID          string           `json:"id"`
	ModuleSlug  string           `json:"module_slug"`
	Title       string           `json:"title"`
	PassPercent int              `json:"pass_percent"`
	Questions   []PublicQuestion `json:"questions"`
}

// PublicQuestion is the learner-facing part of a Question.
type PublicQuestion struct {
	ID      string         `json:"id"`
	Type    QuestionType   `json:"type"`
	Readi   []Value        `json:"readi"`
	Prompt  string         `json:"prompt"`
	Options []PublicItem   `json:"options,omitempty"` // single, multiple
	Items   []PublicItem   `json:"items,omitempty"`   // ordering, shuffled
	Left    []PublicItem   `json:"left,omitempty"`    // matching
	Right   []PublicItem   `json:"right,omitempty"`   // matching, shuffled
	Message *PublicMessage `json:"message,omitempty"` // red_flags
	Steps   []PublicStep   `json:"steps,omitempty"`   // scenario
	Start   string         `json:"start,omitempty"`   // scenario: first step id
}

// PublicItem is an id and the text shown for it.
type PublicItem struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// PublicMessage is a red_flags message without the flags.
type PublicMessage struct {
	Channel  string       `json:"channel"`
	Sender   string       `json:"sender"`
	Subject  string       `json:"subject,omitempty"`
	Segments []PublicItem `json:"segments"`
}

// PublicStep is a scenario step; Next links are public so the learner can
// walk the story, but points and feedback are not.
type PublicStep struct {
	ID      string         `json:"id"`
	Text    string         `json:"text"`
	Choices []PublicChoice `json:"choices"`
}

// PublicChoice is a scenario choice without its points or feedback.
type PublicChoice struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Next string `json:"next,omitempty"`
}

// QuestionResult is how one question of an attempt was graded.
type QuestionResult struct {
	QuestionID  string     `json:"question_id"`
	Correct     bool       `json:"correct"`
	Points      float64    `json:"points"`
	MaxPoints   float64    `json:"max_points"`
	Answered    bool       `json:"answered"`
	Feedback    []Feedback `json:"feedback"`
	Explanation string     `json:"explanation"`
}

// Feedback explains one part of a learner's answer: an option chosen, an
// item placed, a segment marked or missed, a step taken.
type Feedback struct {
	ID      string `json:"id"`
	Correct bool   `json:"correct"`
	Text    string `json:"text"`
	// Code and Params are set when Text is the grader's own words rather
	// than an author's, so the app can show it in the learner's language.
	Code   string         `json:"code,omitempty"`
	Params map[string]int `json:"params,omitempty"`
}

// Grade is a graded attempt.
type Grade struct {
	Score    float64          `json:"score"`
	MaxScore float64          `json:"max_score"`
	Percent  float64          `json:"percent"`
	Passed   bool             `json:"passed"`
	Results  []QuestionResult `json:"results"`
}
