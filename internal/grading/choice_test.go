package grading

import (
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

type fb = model.Feedback

func TestGradeSingle(t *testing.T) {
	runGradeCases(t, "q-single", []gradeCase{
		{name: "correct", answer: `"b"`, points: 2, correct: true, answered: true,
			feedback: []fb{{ID: "b", Correct: true, Text: "FB-single-b"}}},
		{name: "wrong", answer: `"a"`, points: 0, answered: true,
			feedback: []fb{{ID: "a", Text: "FB-single-a"}}},
		{name: "absent", answer: "", feedback: []fb{}},
		{name: "null", answer: `null`, feedback: []fb{}},
		{name: "null with spaces", answer: " null ", feedback: []fb{}},
		{name: "list", answer: `["b"]`, code: CodeAnswerShape},
		{name: "number", answer: `1`, code: CodeAnswerShape},
		{name: "object", answer: `{"b":true}`, code: CodeAnswerShape},
		{name: "unknown option", answer: `"z"`, code: CodeAnswerInvalid},
		{name: "empty id", answer: `""`, code: CodeAnswerInvalid},
	})
}

func TestGradeMultiple(t *testing.T) {
	runGradeCases(t, "q-multi", []gradeCase{
		{name: "both correct", answer: `["c","a"]`, points: 1, correct: true, answered: true,
			feedback: []fb{{ID: "a", Correct: true, Text: "FB-multi-a"}, {ID: "c", Correct: true, Text: "FB-multi-c"}}},
		{name: "one missed", answer: `["a"]`, points: 0.5, answered: true,
			feedback: []fb{{ID: "a", Correct: true, Text: "FB-multi-a"}, {ID: "c", Text: "FB-multi-c"}}},
		{name: "all ticked", answer: `["a","b","c","d"]`, points: 0, answered: true},
		{name: "two right one wrong", answer: `["a","b","c"]`, points: 0.5, answered: true,
			feedback: []fb{{ID: "a", Correct: true, Text: "FB-multi-a"}, {ID: "b", Text: "FB-multi-b"}, {ID: "c", Correct: true, Text: "FB-multi-c"}}},
		{name: "only wrong floors at zero", answer: `["b","d"]`, points: 0, answered: true},
		{name: "none picked", answer: `[]`, points: 0, answered: true,
			feedback: []fb{{ID: "a", Text: "FB-multi-a"}, {ID: "c", Text: "FB-multi-c"}}},
		{name: "unanswered", answer: "", feedback: []fb{}},
		{name: "string", answer: `"a"`, code: CodeAnswerShape},
		{name: "null element", answer: `["a",null]`, code: CodeAnswerShape},
		{name: "number element", answer: `["a",1]`, code: CodeAnswerShape},
		{name: "duplicate", answer: `["a","a"]`, code: CodeAnswerInvalid},
		{name: "too many", answer: `["a","b","c","d","a"]`, code: CodeAnswerInvalid},
		{name: "unknown option", answer: `["a","z"]`, code: CodeAnswerInvalid},
	})
}

func TestGradeTrueFalse(t *testing.T) {
	runGradeCases(t, "q-tf", []gradeCase{
		{name: "correct", answer: `false`, points: 1, correct: true, answered: true,
			feedback: []fb{{ID: "false", Correct: true, Text: "FB-tf-false"}}},
		{name: "wrong", answer: `true`, points: 0, answered: true,
			feedback: []fb{{ID: "true", Text: "FB-tf-true"}}},
		{name: "unanswered", answer: `null`, feedback: []fb{}},
		{name: "string", answer: `"true"`, code: CodeAnswerShape},
		{name: "number", answer: `0`, code: CodeAnswerShape},
		{name: "list", answer: `[true]`, code: CodeAnswerShape},
	})
}

func TestGradeRedFlags(t *testing.T) {
	runGradeCases(t, "q-flags", []gradeCase{
		{name: "all found", answer: `["s4","s2"]`, points: 1, correct: true, answered: true,
			feedback: []fb{{ID: "s2", Correct: true, Text: "WHY-s2"}, {ID: "s4", Correct: true, Text: "WHY-s4"}}},
		{name: "one missed", answer: `["s2"]`, points: 0.5, answered: true,
			feedback: []fb{{ID: "s2", Correct: true, Text: "WHY-s2"}, {ID: "s4", Text: "WHY-s4"}}},
		{name: "one found one innocent", answer: `["s2","s1"]`, points: 0, answered: true,
			feedback: []fb{{ID: "s1", Text: TextNotAFlag, Code: CodeNotAFlag}, {ID: "s2", Correct: true, Text: "WHY-s2"}, {ID: "s4", Text: "WHY-s4"}}},
		{name: "all found one innocent", answer: `["s1","s2","s4"]`, points: 0.5, answered: true},
		{name: "only innocent floors at zero", answer: `["s1","s3"]`, points: 0, answered: true},
		{name: "nothing marked", answer: `[]`, points: 0, answered: true,
			feedback: []fb{{ID: "s2", Text: "WHY-s2"}, {ID: "s4", Text: "WHY-s4"}}},
		{name: "unanswered", answer: "", feedback: []fb{}},
		{name: "object", answer: `{"s2":true}`, code: CodeAnswerShape},
		{name: "duplicate", answer: `["s2","s2"]`, code: CodeAnswerInvalid},
		{name: "unknown segment", answer: `["s9"]`, code: CodeAnswerInvalid},
	})
}
