package importer

import "testing"

func TestPublicEmail(t *testing.T) {
	for _, tc := range []struct{ addr, website, want string }{
		{"contact@enercoop.fr", "https://www.enercoop.fr/", "contact@enercoop.fr"},
		{" Bonjour@Mobicoop.fr ", "mobicoop.fr", "bonjour@mobicoop.fr"},
		{"mailto:info@lyon.coop.example", "https://coop.example", "info@lyon.coop.example"},
		{"info@coop.example", "https://lyon.coop.example/", "info@coop.example"},
		{"contact@enercoop.fr", "", ""},                         // no website to check the domain against
		{"contact@other.example", "https://enercoop.fr", ""},    // another domain
		{"marie.dupont@enercoop.fr", "https://enercoop.fr", ""}, // name-like local part
		{"jdupont@enercoop.fr", "https://enercoop.fr", ""},
		{"contact@gmail.com", "https://gmail.com", ""}, // webmail
		{"asso.velo@orange.fr", "https://velo.example", ""},
		{"hidden", "https://enercoop.fr", ""},
		{"contact@", "https://enercoop.fr", ""},
		{"contact@@enercoop.fr", "https://enercoop.fr", ""},
		{"contact@enercoop.fr", "ftp://enercoop.fr", ""},
	} {
		if got := PublicEmail(tc.addr, tc.website); got != tc.want {
			t.Errorf("PublicEmail(%q, %q) = %q, want %q", tc.addr, tc.website, got, tc.want)
		}
	}
}

func TestScrubText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Écrire à marie.dupont@gmail.com.", "Écrire à [e-mail removed]."},
		{"contact (at) example.org", "[e-mail removed]"},
		{"jean [at] asso.fr", "[e-mail removed]"},
		{"Tél : 06 68 51 11 07 ou 05.49.01.20.41", "Tél : [phone removed] ou [phone removed]"},
		{"Appelez le +33 6 12 34 56 78", "Appelez le [phone removed]"},
		{"+49 (0)30 1234567", "[phone removed]"},
		{"Fondée en 2005, 150 salariés, SIREN 489 502 283", "Fondée en 2005, 150 salariés, SIREN 489 502 283"},
		{"Ouvert de 9h à 18h, 12 rue de la Paix, 75002 Paris", "Ouvert de 9h à 18h, 12 rue de la Paix, 75002 Paris"},
	} {
		if got, changed := scrubText(tc.in); got != tc.want || changed != (tc.in != tc.want) {
			t.Errorf("scrubText(%q) = %q, %v; want %q", tc.in, got, changed, tc.want)
		}
	}
}
