package config

import (
	"strings"
	"testing"
)

func TestTileURL(t *testing.T) {
	c, _, err := Load([]string{"-tile-url", "https://tile.example:8443/osm/{z}/{x}/{y}.png?key=k", "-tile-attribution", "© OpenStreetMap"}, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := TileOrigin(c.TileURL); err != nil || o != "https://tile.example:8443" {
		t.Errorf("TileOrigin = %q, %v; want https://tile.example:8443", o, err)
	}
	c, _, err = Load(nil, env(map[string]string{"MAILLAGE_TILE_URL": "http://127.0.0.5:81/{z}/{x}/{y}.png", "MAILLAGE_TILE_ATTRIBUTION": "test"}), nil)
	if err != nil || c.TileURL != "http://127.0.0.5:81/{z}/{x}/{y}.png" || c.TileAttribution != "test" {
		t.Errorf("from the environment: %q %q %v", c.TileURL, c.TileAttribution, err)
	}
	if Default().TileURL != "" {
		t.Error("a tile URL by default: pages would ask another host")
	}
	for _, bad := range []string{
		"https://tile.example/{z}/{x}.png",              // no {y}
		"ftp://tile.example/{z}/{x}/{y}.png",            // scheme
		"//tile.example/{z}/{x}/{y}.png",                // no scheme
		"https://{s}.tile.example/{z}/{x}/{y}.png",      // several hosts
		"https://u:p@tile.example/{z}/{x}/{y}.png",      // user
		"https://tile.example/{z}/{x}/{y}.png'><script", // breaks out of an attribute
	} {
		if _, err := TileOrigin(bad); err == nil {
			t.Errorf("TileOrigin(%q) accepted", bad)
		}
	}
	c = Default()
	c.TileURL = "https://tile.example/{z}/{x}/{y}.png"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "tile-attribution") {
		t.Errorf("a tile URL without attribution: %v", err)
	}
}
