package model

// ActorKind is what a local actor is. One type, Org, stores the three
// (they share keys, inboxes, followers and the orgs bucket); its Instance
// and Person flags tell them apart, and Kind names the result so that
// callers do not combine the flags, or the name conventions (InstanceName,
// PersonPrefix), themselves. The values are the ActivityStreams types the
// actors are rendered as.
type ActorKind string

const (
	ActorOrganization ActorKind = "Organization" // an organisation profile
	ActorInstance     ActorKind = "Application"  // the instance actor (InstanceName)
	ActorPerson       ActorKind = "Person"       // an account's own actor (PersonName)
)

// Kind is what o is.
func (o Org) Kind() ActorKind {
	switch {
	case o.Instance:
		return ActorInstance
	case o.Person:
		return ActorPerson
	}
	return ActorOrganization
}
