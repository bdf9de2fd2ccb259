package dashboards_test

import (
	"encoding/json"
	"html"
	"math"
	"regexp"
	"strings"
	"testing"
)

// The map's access layer colours each neighbourhood by its straight-line distance to the nearest
// open hub, in bands. Worked by hand: Stockport 009A (E01005743), centre 53.419501, -2.121779 (its
// postcodes' mean), is 1.453 km from Bredbury and Romiley Family Hub (53.4180, -2.1000, open
// since January 2024) by the haversine formula on a 6,371.0088 km sphere: over 1 to 2 km, the
// second band, #9ecae1.
func TestAccessMapLayer(t *testing.T) {
	base := startServer(t)
	code, body := get(t, base+"/map?council=stockport&period=2024-25&layer=access")
	if code != 200 {
		t.Fatalf("%d %.300s", code, body)
	}
	text := html.UnescapeString(body)
	if !strings.Contains(text, `<option value="access" selected>Distance to nearest hub</option>`) {
		t.Error("the Show select does not offer the access layer, chosen")
	}
	opts := regexp.MustCompile(`(?s)<script type="application/json" id="options-map"[^>]*>(.*?)</script>`).FindStringSubmatch(body)
	if opts == nil {
		t.Fatal("no map options")
	}
	var opt struct {
		Merge []struct {
			Series []struct {
				Data []struct {
					Name  string `json:"name"`
					Value any    `json:"value"`
				} `json:"data"`
			} `json:"series"`
			VisualMap struct {
				Type   string           `json:"type"`
				Pieces []map[string]any `json:"pieces"`
			} `json:"visualMap"`
		} `json:"merge"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(opts[1])), &opt); err != nil || len(opt.Merge) == 0 || len(opt.Merge[0].Series) == 0 {
		t.Fatalf("map options unread (%v): %.300s", err, opts[1])
	}
	o := opt.Merge[0]
	var km float64
	for _, d := range o.Series[0].Data {
		if d.Name == "E01005743" {
			km, _ = d.Value.(float64)
		}
	}
	if math.Abs(km-1.453) > 0.0005 {
		t.Errorf("Stockport 009A drawn at %v km, want 1.453", km)
	}
	if o.VisualMap.Type != "piecewise" || len(o.VisualMap.Pieces) != 4 {
		t.Fatalf("the key is %q with %d bands, want piecewise with 4", o.VisualMap.Type, len(o.VisualMap.Pieces))
	}
	var colour string
	for _, p := range o.VisualMap.Pieces {
		gt, hasGt := p["gt"].(float64)
		lte, hasLte := p["lte"].(float64)
		if (!hasGt || km > gt) && (!hasLte || km <= lte) {
			colour = p["color"].(string)
		}
	}
	if colour != "#9ecae1" {
		t.Errorf("Stockport 009A coloured %q, want the second band's #9ecae1", colour)
	}
	row := regexp.MustCompile(`<tr class="govuk-table__row"><td class="govuk-table__cell">E01005743</td>.*?</tr>`).FindString(text)
	if !strings.Contains(row, "over 1 to 2 km") || !strings.Contains(row, ">1.45<") {
		t.Errorf("the table's row for Stockport 009A does not give 1.45 km, over 1 to 2 km: %s", row)
	}
}
