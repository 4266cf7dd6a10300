// Package webtest drives the pages of test instances (testenv) the way a
// browser does: cookies, same-origin form posts, no redirects followed;
// with the checks of POST-redirect-GET answers and field errors that the
// tests of web and admin share.
package webtest
