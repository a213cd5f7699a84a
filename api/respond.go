package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

// jsonMarshal encodes without escaping <, > and &: lesson HTML is
// delivered as data and the API is never rendered as HTML itself.
func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// envelope is every successful reply: {"data": ...}.
type envelope struct {
	Data any `json:"data"`
}

// listEnvelope is a successful list reply with its pagination cursor.
type listEnvelope struct {
	Data any     `json:"data"`
	Next *string `json:"next"`
}

func ok(c *fiber.Ctx, status int, data any) error {
	return c.Status(status).JSON(envelope{Data: data})
}

func okList(c *fiber.Ctx, data any) error {
	return c.Status(fiber.StatusOK).JSON(listEnvelope{Data: data})
}

// parseJSON decodes the body into v. Malformed JSON is a 400; a value of
// the wrong type is a 422 naming the field; unknown fields are refused so a
// misspelt field is not silently ignored.
func parseJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return errMalformed("request body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			field := typeErr.Field
			if field == "" {
				return errMalformed("request body must be a JSON object")
			}
			return &model.ValidationError{Fields: map[string]string{field: "field.wrong_type"}}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &model.ValidationError{Fields: map[string]string{name: "field.unknown"}}
		}
		return errMalformed("request body is not valid JSON")
	}
	if dec.More() {
		return errMalformed("request body has data after the JSON value")
	}
	return nil
}
