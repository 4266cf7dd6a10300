// Package store is maillage's persistence: one bbolt file holding
// organisations, remote actors, projects and calls, follows, replies,
// outgoing activities and the delivery queue. It is the only package that
// imports bbolt.
//
// Values are model types encoded as JSON; renaming a JSON tag needs a
// migration. Methods live on Tx so that the service can compose several
// writes in one transaction (an object, its activity and its deliveries are
// written together or not at all). Bytes read from bbolt are decoded before a
// transaction ends. Store methods take no context: bbolt cannot be cancelled.
package store
