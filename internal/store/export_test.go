package store

import "context"

// ForgetResultTexts empties the result text cache, as on a replica that
// has not read them yet (tests only).
func ForgetResultTexts(s *Store) {
	s.texts.bodies.Clear()
}

// CountResultTexts returns the rows in result_texts (tests only).
func CountResultTexts(ctx context.Context, s *Store) (int64, error) {
	var n int64
	err := s.read(ctx).Table("result_texts").Count(&n).Error
	return n, err
}
