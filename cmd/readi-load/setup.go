package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// learner is a registered account the attempts are sent as.
type learner struct {
	ID    int64
	Token string
}

// apiClient makes the setup calls to READI (not part of any measurement).
type apiClient struct {
	base string // http://127.0.0.1:port
	http *http.Client
}

func newAPIClient(addr string) *apiClient {
	return &apiClient{base: "http://" + addr, http: &http.Client{Timeout: 30 * time.Second}}
}

// call sends body (when not nil) as JSON and decodes the reply's "data"
// into out, failing unless the status is want.
func (c *apiClient) call(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: HTTP %d, want %d: %.300s", method, path, resp.StatusCode, want, raw)
	}
	if out == nil {
		return nil
	}
	env := struct {
		Data json.RawMessage `json:"data"`
	}{}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: reply: %w", method, path, err)
	}
	return json.Unmarshal(env.Data, out)
}

// registerLearners creates n accounts through POST /api/v1/auth/register,
// a few at a time (each hashes a password with Argon2id).
func (c *apiClient) registerLearners(ctx context.Context, n int) ([]learner, error) {
	out := make([]learner, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var s struct {
				User        model.User `json:"user"`
				AccessToken string     `json:"access_token"`
			}
			errs[i] = c.call(ctx, http.MethodPost, "/api/v1/auth/register", "", model.RegisterRequest{
				Email:       fmt.Sprintf("load-learner-%d@example.org", i),
				Password:    fmt.Sprintf("load-test-passphrase-%d", i),
				DisplayName: fmt.Sprintf("Load learner %d", i),
			}, http.StatusCreated, &s)
			out[i] = learner{ID: s.User.ID, Token: s.AccessToken}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("register learners: %w", err)
	}
	return out, nil
}

// firstLesson returns the slug of a module's first lesson.
func (c *apiClient) firstLesson(ctx context.Context, module string) (string, error) {
	var m struct {
		Lessons []struct {
			Slug string `json:"slug"`
		} `json:"lessons"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/modules/"+module, "", nil, http.StatusOK, &m); err != nil {
		return "", err
	}
	if len(m.Lessons) == 0 {
		return "", fmt.Errorf("module %s has no lessons", module)
	}
	return m.Lessons[0].Slug, nil
}

// quiz fetches the learner-facing quiz.
func (c *apiClient) quiz(ctx context.Context, id, token string) (model.PublicQuiz, error) {
	var q model.PublicQuiz
	err := c.call(ctx, http.MethodGet, "/api/v1/quizzes/"+id, token, nil, http.StatusOK, &q)
	return q, err
}

// answerAll builds a complete attempt: every question answered with a value
// of the right shape (not necessarily the right answer), chosen from what
// the public quiz shows. Grading such an attempt does the full work.
func answerAll(q model.PublicQuiz) (model.AttemptRequest, error) {
	req := model.AttemptRequest{Answers: map[string]json.RawMessage{}}
	for _, question := range q.Questions {
		var v any
		switch question.Type {
		case model.Single:
			if len(question.Options) == 0 {
				return req, fmt.Errorf("question %s has no options", question.ID)
			}
			v = question.Options[0].ID
		case model.Multiple:
			if len(question.Options) == 0 {
				return req, fmt.Errorf("question %s has no options", question.ID)
			}
			v = []string{question.Options[0].ID}
		case model.TrueFalse:
			v = true
		case model.Ordering:
			ids := make([]string, len(question.Items))
			for i, it := range question.Items {
				ids[i] = it.ID
			}
			v = ids
		case model.Matching:
			if len(question.Left) != len(question.Right) {
				return req, fmt.Errorf("question %s: %d left and %d right items", question.ID, len(question.Left), len(question.Right))
			}
			pairs := map[string]string{}
			for i, l := range question.Left {
				pairs[l.ID] = question.Right[i].ID
			}
			v = pairs
		case model.RedFlags:
			if question.Message == nil || len(question.Message.Segments) == 0 {
				return req, fmt.Errorf("question %s has no message", question.ID)
			}
			v = []string{question.Message.Segments[0].ID}
		case model.Scenario:
			path, err := firstPath(question)
			if err != nil {
				return req, err
			}
			v = path
		default:
			return req, fmt.Errorf("question %s: unknown type %q", question.ID, question.Type)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return req, err
		}
		req.Answers[question.ID] = b
	}
	return req, nil
}

// firstPath walks a scenario from its start, always taking the first
// choice, until a choice ends the story.
func firstPath(q model.PublicQuestion) ([]string, error) {
	steps := map[string]model.PublicStep{}
	for _, s := range q.Steps {
		steps[s.ID] = s
	}
	var path []string
	for at := q.Start; ; {
		s, ok := steps[at]
		if !ok || len(s.Choices) == 0 || len(path) > len(q.Steps) {
			return nil, fmt.Errorf("question %s: cannot walk the scenario from %q", q.ID, at)
		}
		c := s.Choices[0]
		path = append(path, c.ID)
		if c.Next == "" {
			return path, nil
		}
		at = c.Next
	}
}
