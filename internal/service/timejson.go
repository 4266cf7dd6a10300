package service

import (
	"encoding/json"
	"fmt"
	"time"
)

// TimeValue accepts an RFC 3339 timestamp or a plain date (2026-03-15, read
// as the end of that day in UTC for deadlines is the caller's choice: here it
// is midnight UTC) in API input.
type TimeValue struct{ time.Time }

func (t *TimeValue) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time: want a string: %w", err)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

func (t *TimeValue) ptr() *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// Time wraps a time for ObjectInput.
func Time(t time.Time) *TimeValue { return &TimeValue{t} }

// ParseTime reads RFC 3339 or YYYY-MM-DD.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, fmt.Errorf("time %q: use YYYY-MM-DD or RFC 3339", s)
	}
	return t, nil
}
