package wire

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Claim is a claim of an imported organisation as the API lists it: never
// the hash of the claimant's key.
type Claim struct {
	ID          string    `json:"id"`
	Org         string    `json:"org"`
	Email       string    `json:"email"`
	Message     string    `json:"message,omitempty"`
	Method      string    `json:"method"`
	Status      string    `json:"status"`
	Problem     string    `json:"problem,omitempty"`
	Website     string    `json:"website"`
	Created     time.Time `json:"created"`
	Checked     time.Time `json:"checked,omitzero"`
	Proven      time.Time `json:"proven,omitzero"`
	Confirmed   time.Time `json:"confirmed,omitzero"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
}

// ClaimOf shows c.
func ClaimOf(c model.Claim) Claim {
	return Claim{ID: c.ID, Org: c.Org, Email: c.Email, Message: c.Message, Method: c.Method, Status: c.Status,
		Problem: c.Problem, Website: c.Website, Created: c.Created, Checked: c.Checked, Proven: c.Proven,
		Confirmed: c.Confirmed, ConfirmedBy: c.ConfirmedBy}
}

// ClaimConfirmation answers the confirmation of a claim: the claim, and the
// link of the editor invitation it made, shown once.
type ClaimConfirmation struct {
	Claim      Claim  `json:"claim"`
	Invitation string `json:"invitation"`
}
