package learning

import "github.com/readi-platform/readi/internal/model"

// translateModule overlays a translation's texts on the module header;
// anything not translated stays in the base language.
func translateModule(m model.Module, lang string) model.Module {
	tr, ok := m.Translations[lang]
	if !ok || lang == BaseLang {
		return m
	}
	if tr.Title != "" {
		m.Title = tr.Title
	}
	if tr.Summary != "" {
		m.Summary = tr.Summary
	}
	if len(tr.Objectives) == len(m.Objectives) {
		m.Objectives = tr.Objectives
	}
	if tr.ContentWarning != "" {
		m.ContentWarning = tr.ContentWarning
	}
	return m
}

func translateLesson(m model.Module, i int, lang string) model.Lesson {
	l := m.Lessons[i]
	tl, ok := m.Translations[lang].Lessons[l.Slug]
	if !ok || lang == BaseLang {
		return l
	}
	if tl.Title != "" {
		l.Title = tl.Title
	}
	if tl.HTML != "" {
		l.HTML = tl.HTML
	}
	return l
}

// translateQuiz returns the module's quiz with translated texts. Ids,
// types, keys and points always come from the base.
func translateQuiz(m model.Module, lang string) model.Quiz {
	if m.Quiz == nil {
		return model.Quiz{}
	}
	q := model.Quiz{PassPercent: m.Quiz.PassPercent, Questions: make([]model.Question, len(m.Quiz.Questions))}
	for i, base := range m.Quiz.Questions {
		q.Questions[i] = base
		if tq, ok := m.Translations[lang].Questions[base.ID]; ok && lang != BaseLang {
			q.Questions[i] = translateQuestion(base, tq)
		}
	}
	return q
}

func text(base, tr string) string {
	if tr != "" {
		return tr
	}
	return base
}

func translateQuestion(q, tr model.Question) model.Question {
	q.Prompt = text(q.Prompt, tr.Prompt)
	q.Explanation = text(q.Explanation, tr.Explanation)
	q.FeedbackTrue = text(q.FeedbackTrue, tr.FeedbackTrue)
	q.FeedbackFalse = text(q.FeedbackFalse, tr.FeedbackFalse)
	q.Options = append([]model.Option(nil), q.Options...)
	for i := range q.Options {
		for _, t := range tr.Options {
			if t.ID == q.Options[i].ID {
				q.Options[i].Text = text(q.Options[i].Text, t.Text)
				q.Options[i].Feedback = text(q.Options[i].Feedback, t.Feedback)
			}
		}
	}
	q.Items = append([]model.Item(nil), q.Items...)
	for i := range q.Items {
		for _, t := range tr.Items {
			if t.ID == q.Items[i].ID {
				q.Items[i].Text = text(q.Items[i].Text, t.Text)
			}
		}
	}
	q.Pairs = append([]model.Pair(nil), q.Pairs...)
	for i := range q.Pairs {
		for _, t := range tr.Pairs {
			if t.Left.ID == q.Pairs[i].Left.ID {
				q.Pairs[i].Left.Text = text(q.Pairs[i].Left.Text, t.Left.Text)
				q.Pairs[i].Feedback = text(q.Pairs[i].Feedback, t.Feedback)
			}
			if t.Right.ID == q.Pairs[i].Right.ID {
				q.Pairs[i].Right.Text = text(q.Pairs[i].Right.Text, t.Right.Text)
			}
		}
	}
	if q.Message != nil {
		msg := *q.Message
		msg.Segments = append([]model.Segment(nil), msg.Segments...)
		if tr.Message != nil {
			msg.Sender = text(msg.Sender, tr.Message.Sender)
			msg.Subject = text(msg.Subject, tr.Message.Subject)
			for i := range msg.Segments {
				for _, t := range tr.Message.Segments {
					if t.ID == msg.Segments[i].ID {
						msg.Segments[i].Text = text(msg.Segments[i].Text, t.Text)
						msg.Segments[i].Why = text(msg.Segments[i].Why, t.Why)
					}
				}
			}
		}
		q.Message = &msg
	}
	q.Steps = append([]model.Step(nil), q.Steps...)
	for i := range q.Steps {
		for _, ts := range tr.Steps {
			if ts.ID != q.Steps[i].ID {
				continue
			}
			q.Steps[i].Text = text(q.Steps[i].Text, ts.Text)
			q.Steps[i].Choices = append([]model.Choice(nil), q.Steps[i].Choices...)
			for j := range q.Steps[i].Choices {
				for _, tc := range ts.Choices {
					if tc.ID == q.Steps[i].Choices[j].ID {
						q.Steps[i].Choices[j].Text = text(q.Steps[i].Choices[j].Text, tc.Text)
						q.Steps[i].Choices[j].Feedback = text(q.Steps[i].Choices[j].Feedback, tc.Feedback)
					}
				}
			}
		}
	}
	return q
}
