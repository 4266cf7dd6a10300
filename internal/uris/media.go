package uris

// Media is the public URL of a local media file (internal/media).
func (u URIs) Media(name string) string { return u.Base + "/media/" + name }
