// Package geo reads the ONS generalised boundaries (GeoJSON, WGS84 lon/lat) and answers the few
// spatial questions the warehouse needs: a representative point for an area, which area holds a
// point, and how far apart two points are. DuckDB's spatial extension is not built in, and
// extensions are never downloaded, so this is done in Go with github.com/paulmach/orb.
package geo

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Area is one boundary polygon with its code and name.
type Area struct {
	Code  string
	Name  string
	Shape orb.MultiPolygon
	Bound orb.Bound
}

// ReadAreas parses a FeatureCollection and keeps the features' code and name properties
// (codeProp, nameProp: e.g. "LSOA21CD", "LSOA21NM"). It fails on a feature without a code or
// with a geometry other than Polygon or MultiPolygon.
func ReadAreas(data []byte, codeProp, nameProp string) ([]Area, error) {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("reading GeoJSON: %w", err)
	}
	areas := make([]Area, 0, len(fc.Features))
	for i, f := range fc.Features {
		code, _ := f.Properties[codeProp].(string)
		if code == "" {
			return nil, fmt.Errorf("feature %d has no %s property", i, codeProp)
		}
		name, _ := f.Properties[nameProp].(string)
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, fmt.Errorf("feature %s: geometry %s is not a polygon", code, f.Geometry.GeoJSONType())
		}
		areas = append(areas, Area{Code: code, Name: name, Shape: mp, Bound: mp.Bound()})
	}
	sort.Slice(areas, func(i, j int) bool { return areas[i].Code < areas[j].Code })
	return areas, nil
}

// Contains reports whether the area holds the point.
func (a Area) Contains(p orb.Point) bool {
	return a.Bound.Contains(p) && planar.MultiPolygonContains(a.Shape, p)
}

// InteriorPoint is the area's centroid when the centroid lies inside it; otherwise (a crescent or
// a coastal strip) the point inside the area nearest to the centroid, searched on a fine grid.
// The second result says which, so the method can be recorded with the answer.
func (a Area) InteriorPoint() (orb.Point, bool) {
	c, _ := planar.CentroidArea(a.Shape)
	if a.Contains(c) {
		return c, true
	}
	const steps = 60
	dx := (a.Bound.Max[0] - a.Bound.Min[0]) / steps
	dy := (a.Bound.Max[1] - a.Bound.Min[1]) / steps
	best, bestD := orb.Point{}, math.Inf(1)
	for i := 0; i <= steps; i++ {
		for j := 0; j <= steps; j++ {
			p := orb.Point{a.Bound.Min[0] + (float64(i)+0.5)*dx, a.Bound.Min[1] + (float64(j)+0.5)*dy}
			if d := planar.DistanceSquared(p, c); d < bestD && a.Contains(p) {
				best, bestD = p, d
			}
		}
	}
	if math.IsInf(bestD, 1) {
		// a sliver thinner than the grid: a vertex of the outer ring is on the area at least
		return a.Shape[0][0][0], false
	}
	return best, false
}

// Locate returns the index of the area holding p, or -1.
func Locate(areas []Area, p orb.Point) int {
	for i := range areas {
		if areas[i].Contains(p) {
			return i
		}
	}
	return -1
}

// Nearest returns the index of the area whose boundary is nearest to p (for a point that falls in
// a gap between generalised polygons), and the distance in metres.
func Nearest(areas []Area, p orb.Point) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i, a := range areas {
		for _, poly := range a.Shape {
			for _, ring := range poly {
				for k := 1; k < len(ring); k++ {
					q := closestOnSegment(p, ring[k-1], ring[k])
					if d := geo.Distance(p, q); d < bestD {
						best, bestD = i, d
					}
				}
			}
		}
	}
	return best, bestD
}

func closestOnSegment(p, a, b orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return a
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return orb.Point{a[0] + t*dx, a[1] + t*dy}
}

// DistanceKm is the great-circle distance between two lon/lat points in kilometres.
func DistanceKm(a, b orb.Point) float64 {
	return geo.DistanceHaversine(a, b) / 1000
}
