// Package federation is maillage's ActivityPub layer: it renders local
// actors, projects, calls and activities as ActivityStreams JSON (with
// go-fed's streams package and our own JSON-LD context), serves them with
// WebFinger and NodeInfo on the routes it mounts (Routes; an id is also a
// page, which package web renders through Pages), verifies and decodes what arrives in the inboxes
// (Federation), and fetches remote documents with signed requests and
// resolves handles (Client, built before the service, which resolves
// through it). What an activity may change is decided by package service;
// delivery lives in federation/delivery.
//
// go-fed's pub package is not used for the inbox or delivery: v1.0.0 hard
// codes https in request IRIs, runs side effects synchronously, dereferences
// followers collections over HTTP and delivers without retry or
// persistence (go-fed/activity v1.0.0 pub/base_actor.go and pub/transport.go,
// BatchDeliver; what we do instead is in FEDERATION.md).
package federation
