// Package media turns uploaded and fetched pictures into the few sizes the
// pages show, keeps local ones as content-addressed files in the data
// directory, keeps remote ones in a small bounded cache, and serves both.
//
// Every picture, from an administrator or from another server, goes
// through Process: read through a size cap, typed from its bytes, its
// dimensions checked before it is decoded (a small file can declare a
// gigapixel image), decoded, resized and encoded again as JPEG or PNG,
// which leaves out every metadata block (EXIF and its GPS position
// included). Nothing a visitor loads comes from another host.
package media
