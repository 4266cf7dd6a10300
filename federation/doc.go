// Package federation is maillage's ActivityPub layer: it renders local
// actors, projects, calls and activities as ActivityStreams JSON (with
// go-fed's streams package and our own JSON-LD context), serves them with
// WebFinger and NodeInfo, verifies and decodes what arrives in the inboxes
// (Federation), and fetches remote documents with signed requests and
// resolves handles (Client, built before the service, which resolves
// through it). What an activity may change is decided by package service;
// delivery lives in federation/delivery.
//
// go-fed's pub package is not used for the inbox or delivery: v1.0.0 hard
// codes https in request IRIs, runs side effects synchronously, dereferences
// followers collections over HTTP and delivers without retry or
// persistence (see ../shared/INTEROP.md §6 and docs/federation.md).
package federation
