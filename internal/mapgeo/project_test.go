package mapgeo

import (
	"math"
	"testing"
)

func TestProjectionRoundTrip(t *testing.T) {
	p := NewProjection()
	for lat := -80.0; lat <= 85; lat += 5 {
		for lon := -170.0; lon <= 180; lon += 10 {
			x, y := p.Forward(lon, lat)
			gl, gt, ok := p.Inverse(x, y)
			if !ok || math.Abs(math.Remainder(gl-lon, 360)) > 1e-7 || math.Abs(gt-lat) > 1e-7 {
				t.Errorf("Inverse(Forward(%v, %v)) = %v, %v, %t", lon, lat, gl, gt, ok)
			}
		}
	}
	if _, _, ok := p.Inverse(1e6, 0); ok {
		t.Error("Inverse of a point outside the disc: ok = true, want false")
	}
	if _, _, ok := p.Inverse(math.NaN(), 0); ok {
		t.Error("Inverse(NaN): ok = true, want false")
	}
}

// EPSG:3035 coordinates from the EEA's reference grid: the centre maps to
// the false origin, and Paris lies near E 3760 km, N 2890 km.
func TestProjectionKnownPoints(t *testing.T) {
	p := NewProjection()
	x, y := p.Forward(10, 52)
	if x != 4321 || y != -3210 {
		t.Errorf("Forward(10, 52) = %v, %v, want 4321, -3210", x, y)
	}
	x, y = p.Forward(2.3522, 48.8566)
	if math.Abs(x-3760) > 10 || math.Abs(-y-2889) > 10 {
		t.Errorf("Forward(Paris) = %v, %v, want about 3760, -2889", x, y)
	}
}

func TestCitiesInViewInOrder(t *testing.T) {
	p := NewProjection()
	type city struct{ x, y float64 }
	at := func(lon, lat float64) city { x, y := p.Forward(lon, lat); return city{x, y} }
	paris, lisbon, helsinki := at(2.3522, 48.8566), at(-9.1393, 38.7223), at(24.9384, 60.1699)
	for name, c := range map[string]city{"Paris": paris, "Lisbon": lisbon, "Helsinki": helsinki} {
		if !Europe.Contains(c.x, c.y) {
			t.Errorf("%s at %v is outside the map %v", name, c, Europe)
		}
	}
	if !(lisbon.x < paris.x && paris.x < helsinki.x) {
		t.Errorf("west to east: Lisbon %v, Paris %v, Helsinki %v", lisbon.x, paris.x, helsinki.x)
	}
	// y grows downwards: Helsinki is above Paris, which is above Lisbon.
	if !(helsinki.y < paris.y && paris.y < lisbon.y) {
		t.Errorf("north to south: Helsinki %v, Paris %v, Lisbon %v", helsinki.y, paris.y, lisbon.y)
	}
}

func TestParseBBox(t *testing.T) {
	good := []struct {
		in   string
		want BBox
	}{
		{"2.5,43,8,47.25", BBox{2.5, 43, 8, 47.25}},
		{" -10 , 35 ,30, 70", BBox{-10, 35, 30, 70}},
	}
	for _, tt := range good {
		got, err := ParseBBox(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseBBox(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
		if again, err := ParseBBox(got.String()); err != nil || again != got {
			t.Errorf("ParseBBox(%q.String()) = %v, %v", tt.in, again, err)
		}
	}
	for _, in := range []string{"", "1,2,3", "a,b,c,d", "8,43,2,47", "2,47,8,43", "2,43,8,91",
		"NaN,1,2,3", "Inf,1,2,3", "1,2,3,4,5", string(make([]byte, 200))} {
		if _, err := ParseBBox(in); err == nil {
			t.Errorf("ParseBBox(%q) succeeded, want an error", in)
		}
	}
}

func TestBoxOfAndView(t *testing.T) {
	p := NewProjection()
	b := BBox{West: 2, South: 43, East: 8, North: 47}
	box := p.BoxOf(b)
	for _, c := range [][2]float64{{2, 43}, {8, 47}, {5, 45}, {2, 47}, {8, 43}} {
		x, y := p.Forward(c[0], c[1])
		if !box.Contains(x, y) {
			t.Errorf("BoxOf(%v) = %v does not hold %v", b, box, c)
		}
	}
	v := View(p, b, 100)
	if math.Abs(v.H()/v.W()-Europe.H()/Europe.W()) > 1e-9 || v.MinX > box.MinX || v.MaxY < box.MaxY {
		t.Errorf("View(%v) = %v, want the aspect of Europe around %v", b, v, box)
	}
	if small := View(p, BBox{4.8, 45.7, 4.81, 45.71}, 100); math.Abs(small.W()-100) > 1e-9 {
		t.Errorf("View of a small box is %v km wide, want 100", small.W())
	}
	back, ok := p.BBoxOf(box)
	if !ok || back.West > 2 || back.East < 8 || back.South > 43 || back.North < 47 {
		t.Errorf("BBoxOf(BoxOf(%v)) = %v, %t", b, back, ok)
	}
	if pad := (BBox{4.8, 45.7, 4.8, 45.7}).Pad(0.1, 0.2); math.Abs(pad.East-pad.West-0.2) > 1e-9 {
		t.Errorf("Pad of a point = %v, want 0.2 degrees across", pad)
	}
}
