package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// A C-shaped area: its centroid falls in the gap, outside the area.
const cShape = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"CD":"C1","NM":"crescent"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,1],[1,1],[1,2],[3,2],[3,3],[0,3],[0,0]]]}},
{"type":"Feature","properties":{"CD":"B2","NM":"box"},"geometry":{"type":"MultiPolygon","coordinates":[[[[4,0],[5,0],[5,1],[4,1],[4,0]]]]}}]}`

func TestReadAreasAndLocate(t *testing.T) {
	areas, err := ReadAreas([]byte(cShape), "CD", "NM")
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 2 || areas[0].Code != "B2" || areas[1].Name != "crescent" {
		t.Fatalf("areas sorted by code: %+v", areas)
	}
	if i := Locate(areas, orb.Point{4.5, 0.5}); i != 0 {
		t.Errorf("point in the box located in %d", i)
	}
	if i := Locate(areas, orb.Point{2, 1.5}); i != -1 {
		t.Errorf("point in the crescent's gap located in %d", i)
	}
	i, d := Nearest(areas, orb.Point{3.6, 0.5})
	if i != 0 {
		t.Errorf("nearest to (3.6, 0.5) is %d, want the box", i)
	}
	// 0.4 degrees of longitude at the equator is about 44.5 km
	if math.Abs(d-44478) > 200 {
		t.Errorf("distance %f m", d)
	}
}

func TestInteriorPoint(t *testing.T) {
	areas, _ := ReadAreas([]byte(cShape), "CD", "NM")
	box, crescent := areas[0], areas[1]
	p, centroid := box.InteriorPoint()
	if !centroid || p != (orb.Point{4.5, 0.5}) {
		t.Errorf("box interior point %v (centroid %v)", p, centroid)
	}
	p, centroid = crescent.InteriorPoint()
	if centroid {
		t.Error("the crescent's centroid lies in its gap, yet was used")
	}
	if !crescent.Contains(p) {
		t.Errorf("interior point %v is not inside the crescent", p)
	}
}

func TestReadAreasRejectsBadInput(t *testing.T) {
	if _, err := ReadAreas([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), "CD", "NM"); err == nil {
		t.Error("a feature without a code was accepted")
	}
	if _, err := ReadAreas([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"CD":"P"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), "CD", "NM"); err == nil {
		t.Error("a point was accepted as an area")
	}
	if _, err := ReadAreas([]byte(`not json`), "CD", "NM"); err == nil {
		t.Error("bad JSON was accepted")
	}
}

func TestDistanceKm(t *testing.T) {
	// Stockport town hall to Manchester town hall, about 9.5 km
	d := DistanceKm(orb.Point{-2.1578, 53.4083}, orb.Point{-2.2445, 53.4794})
	if d < 9 || d > 10 {
		t.Errorf("Stockport to Manchester %.2f km", d)
	}
}
