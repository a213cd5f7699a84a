package live

import (
	"testing"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
)

// TestReviewPointsAtTheLessonThatTeachesIt checks the pairing on the real
// curriculum: questions whose words come from one lesson get that lesson.
func TestReviewPointsAtTheLessonThatTeachesIt(t *testing.T) {
	pack, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // question → lesson, read off the lessons by hand
		"sts-q01": "phishing-and-smishing",    // smishing
		"sts-q08": "investment-and-job-scams", // pig butchering
		"sts-q13": "if-you-clicked-or-paid",   // what to keep to report it
	}
	for _, m := range pack.Modules {
		if m.Slug != "spot-the-scam" {
			continue
		}
		ids := []string{}
		for _, q := range m.Quiz.Questions {
			ids = append(ids, q.ID)
		}
		items := reviewItems(m, "en", ids)
		for i, id := range ids {
			it := items[i+1]
			if it.Lesson == "" || it.LessonTitle == "" {
				t.Errorf("reviewItems(%s) = %+v, want a lesson", id, it)
			}
			if w, ok := want[id]; ok && it.Lesson != w {
				t.Errorf("reviewItems(%s).Lesson = %q, want %q", id, it.Lesson, w)
			}
		}
	}
}
