package cli

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		pos       []string
		org, text string
		forward   bool
	}{
		{args: []string{"a", "-org", "x"}, pos: []string{"a"}, org: "x"},
		{args: []string{"-org", "x", "a"}, pos: []string{"a"}, org: "x"},
		{args: []string{"a", "-forward", "b", "-text", "t"}, pos: []string{"a", "b"}, text: "t", forward: true},
		{args: []string{"a", "--", "-org", "x"}, pos: []string{"a", "-org", "x"}},
		{args: []string{"-text", "-", "a"}, pos: []string{"a"}, text: "-"},
		{args: []string{"-", "-org=y"}, pos: []string{"-"}, org: "y"},
		{args: nil},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		org, text, forward := fs.String("org", "", ""), fs.String("text", "", ""), fs.Bool("forward", false, "")
		pos, err := parseArgs(fs, tc.args)
		if err != nil || !reflect.DeepEqual(pos, tc.pos) || *org != tc.org || *text != tc.text || *forward != tc.forward {
			t.Errorf("parseArgs(%q) = %q, %v; org %q text %q forward %v", tc.args, pos, err, *org, *text, *forward)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := parseArgs(fs, []string{"a", "-nope"}); err == nil {
		t.Error("an unknown flag after a positional was accepted")
	}
}
