package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"golang.org/x/term"
)

// maxPasswordInput bounds what is read as a password.
const maxPasswordInput = 4096

// runAdminCreate creates an administrator of the web interface. The
// password is never a flag (flags show in ps and shell history): it is
// read from -password-file, or from standard input, without echo on a
// terminal.
func runAdminCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "admin-create")
	mk := clientFlags(fs, e)
	username := fs.String("username", "", "the administrator's name (lower-case letters, digits, _ . -)")
	file := fs.String("password-file", "", "read the password from the first line of this file (default: standard input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || fs.NArg() != 0 {
		return errors.New("usage: maillage admin-create -username NAME [-password-file FILE]; the password is read from standard input")
	}
	c, err := mk()
	if err != nil {
		return err
	}
	password, err := readPassword(e, *file)
	if err != nil {
		return err
	}
	return c.show(ctx, e, "POST", "/api/v1/admins", map[string]string{"username": *username, "password": password})
}

// runAccountDelete deletes an account of the web interface, whatever its
// role, and ends its sessions; the instance refuses to delete the last
// administrator.
func runAccountDelete(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "account-delete")
	mk := clientFlags(fs, e)
	username := fs.String("username", "", "the account to delete")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || fs.NArg() != 0 {
		return errors.New("usage: maillage account-delete -username NAME")
	}
	c, err := mk()
	if err != nil {
		return err
	}
	if err := c.show(ctx, e, "DELETE", "/api/v1/admins/"+url.PathEscape(*username), nil); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "account %s deleted\n", *username)
	return nil
}

// readPassword reads the first line of path, or of standard input when
// path is "" or "-"; on a terminal it asks twice, without echo.
func readPassword(e *env, path string) (string, error) {
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		return firstLine(f)
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return firstLine(os.Stdin)
	}
	var typed [2]string
	for i, prompt := range []string{"Password: ", "Again: "} {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		typed[i] = string(b)
	}
	if typed[0] != typed[1] {
		return "", errors.New("the two passwords differ")
	}
	return typed[0], nil
}

// firstLine returns the first line of r without its line ending; spaces
// are kept, as part of the password.
func firstLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPasswordInput)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given: write it on standard input or in -password-file")
	}
	return line, nil
}
