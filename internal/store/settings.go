package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Setting returns a stored value, or "" when the key has none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v []string
	err := s.read(ctx).Table("settings").Where("key = ?", key).Pluck("value", &v).Error
	if err != nil || len(v) == 0 {
		return "", err
	}
	return v[0], nil
}

// SetSetting stores a value under key, replacing any earlier one.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	row := map[string]any{"key": key, "value": value, "updated_at": time.Now().UTC()}
	return s.write(ctx).Table("settings").Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(row).Error
}
