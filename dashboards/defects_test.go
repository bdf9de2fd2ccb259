package dashboards_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"familyhubs/internal/testdata"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/stats"
)

// Defect 1: every navigation link keeps every filter (the template escaped = and & in the query
// and sent Kirklees / Huddersfield / 2024-25 to Stockport 2025-26).
func TestNavLinksKeepFilters(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/reach?council=kirklees&locality=Huddersfield&period=2024-25&service=parenting")
	links := regexp.MustCompile(`<nav aria-label="Pages"[^>]*>(?s)(.*?)</nav>`).FindStringSubmatch(body)[1]
	hrefs := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(links, -1)
	if len(hrefs) != 8 { // overview, reach, map, services, care, what happened next, fund, access and best start

		t.Fatalf("%d nav links", len(hrefs))
	}
	for _, h := range hrefs {
		href := unescape(h[1])
		for _, want := range []string{"council=kirklees", "locality=Huddersfield", "period=2024-25", "service=parenting"} {
			if !strings.Contains(href, want) {
				t.Errorf("nav link %s drops %s", href, want)
			}
		}
		if strings.Contains(href, "%3d") || strings.Contains(href, "%26") {
			t.Errorf("nav link %s has an escaped query", href)
		}
	}
}

// Defect 4: a council without a network is the one the drop-down names, not another.
func TestCouncilDropDownNamesTheCouncilShown(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/overview?council=manchester")
	sel := regexp.MustCompile(`<option value="([a-z-]+)" selected>`).FindStringSubmatch(body)
	if sel == nil || sel[1] != "manchester" {
		t.Errorf("the council drop-down selects %v on Manchester's page", sel)
	}
	if !strings.Contains(body, "holds no service contacts for Manchester") {
		t.Error("Manchester's overview does not say it has no service data")
	}
	_, body = get(t, base+"/overview?council=stockport&period=2027-28")
	if !strings.Contains(body, "so it has no data for 2027-28") || strings.Contains(body, "down 100%") {
		t.Error("a period without data is not said to have none")
	}
}

// Defect 6: a chart whose question does not take the locality filter says it covers the whole
// council (the SII chart was subtitled "Stockport · Marple" over whole-council values); tiles in a
// locality view compare with the rest of the locality; the sites tile counts what the return counts.
func TestFiltersAChartIgnoresAreSaid(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/reach?council=stockport&locality=Marple&period=2024-25")
	sec := section(t, body, "inequality")
	if strings.Contains(sec, "Stockport · Marple") || !strings.Contains(sec, "whole council") ||
		!strings.Contains(sec, "does not take the locality filter") {
		t.Errorf("the SII chart in a Marple view claims Marple: %.300s", subtitle(sec))
	}
	if sec := section(t, body, "reach_idaci"); !strings.Contains(subtitle(sec), "Stockport · Marple") {
		t.Errorf("the decile chart does not say Marple: %s", subtitle(sec))
	}
	_, body = get(t, base+"/overview?council=stockport&locality=Brinnington%2C+Reddish+and+Central&period=2024-25")
	if strings.Contains(body, "the rest of the council") || !strings.Contains(unescape(body), "the rest of Brinnington, Reddish and Central") {
		t.Error("a locality view compares with the rest of the council")
	}
	db := testdata.Warehouse(t)
	p, _ := queries.ParsePeriod("2024-25")
	open, err := measures.Run(context.Background(), db, "sites_open", queries.Args{"council": "E08000007", "period_end": p.End}, stats.DfE)
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, row := range open.Rows {
		x, _ := measures.Number(row[open.MustCol("sites")])
		n += x
	}
	m := regexp.MustCompile(`Sites open on 31 March 2025</div>\s*<div class="value">(\d+)`).FindStringSubmatch(body)
	if m == nil || m[1] != strconv.Itoa(int(n)) {
		t.Errorf("sites tile %v, sites_open says %v", m, n)
	}
}

// Defect 8: tables have plain-English headers and right-aligned numbers with thousands
// separators; a suppressed bar is marked with its symbol; the chart of every council in the
// warehouse is not titled England; care charts do not start with empty years.
func TestChartsAndTablesReadable(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/services?council=wolverhampton&period=2024-25Q1")
	if strings.Contains(body, `>children_reached<`) || strings.Contains(body, `>reach_per_1000<`) {
		t.Error("snake_case table headers")
	}
	if !regexp.MustCompile(`<th scope="col" data-column="contacts" class="govuk-table__header govuk-table__header--numeric">Contacts</th>`).MatchString(body) {
		t.Error("the contacts column is not a numeric, plain-English column")
	}
	if !regexp.MustCompile(`<td class="govuk-table__cell govuk-table__cell--numeric">\d{1,3},\d{3}</td>`).MatchString(body) {
		t.Error("no number with a thousands separator in a right-aligned cell")
	}
	if regexp.MustCompile(`<td class="govuk-table__cell govuk-table__cell--numeric">\d+\.\d{3}</td>`).MatchString(body) {
		t.Error("three decimals in a table")
	}
	// a suppressed cell in the service mix is marked on the chart
	mix := section(t, body, "service_mix")
	if strings.Contains(mix, `<td class="govuk-table__cell govuk-table__cell--numeric">c</td>`) && !strings.Contains(mix, `"value":"c"`) {
		t.Error("suppressed bars vanish without their symbol")
	}
	_, body = get(t, base+"/reach?council=stockport&period=2024-25")
	eng := section(t, body, "england")
	if strings.Contains(eng, `id="title-england">England`) || !strings.Contains(eng, "synthetic") {
		t.Errorf("the all-councils chart: %s", regexp.MustCompile(`<h2[^>]*>(.*?)</h2>`).FindStringSubmatch(eng)[1])
	}
	if !strings.Contains(section(t, body, "localities"), `"overflow":"break"`) {
		t.Error("locality labels may be dropped or cut")
	}
	_, body = get(t, base+"/care?council=stockport")
	inNeed := section(t, body, "care_in_need")
	if strings.Contains(inNeed, `"2011"`) || strings.Contains(inNeed, `"2012"`) {
		t.Error("the children in need chart starts with empty years 2011-12")
	}
}

// Defect 9: tiles carry their data status; downloads are named after what they hold and carry the
// council, period, filters, policy and data status.
func TestLabelsTravelWithFigures(t *testing.T) {
	base := startServer(t)
	_, body := get(t, base+"/overview?council=stockport&period=2024-25")
	tiles := regexp.MustCompile(`(?s)<section class="tiles".*?</section>`).FindString(body)
	if strings.Count(tiles, `class="label-synthetic"`) < 3 {
		t.Error("tiles of synthetic figures are not labelled synthetic")
	}
	resp, err := http.Get(base + "/api/queries/reach_by_decile.csv?council=stockport&period=2024-25&locality=Marple&only.index=IDACI")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	name := resp.Header.Get("Content-Disposition")
	if !strings.Contains(name, `familyhubs-reach_by_decile-stockport-2024-25-marple-idaci.csv`) {
		t.Errorf("download named %s", name)
	}
	recs, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(recs[0][:9], ",")
	if head != "council_code,council,period,period_start,period_end,locality,service,disclosure,data_status" ||
		recs[1][0] != "E08000007" || recs[1][2] != "2024-25" || recs[1][5] != "Marple" || recs[1][7] != "dfe" || recs[1][8] != "synthetic, real" {
		t.Errorf("download rows: %v / %v", recs[0], recs[1])
	}
}

func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="block-`+id+`"`)
	if i < 0 {
		t.Fatalf("no chart %s", id)
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func subtitle(sec string) string {
	m := regexp.MustCompile(`<p class="subtitle">(.*?)</p>`).FindStringSubmatch(sec)
	if m == nil {
		return ""
	}
	return m[1]
}
