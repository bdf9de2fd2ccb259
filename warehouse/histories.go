package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"fmt"
	"time"

	"familyhubs/synthetic"
)

var (
	//go:embed histories_slots.sql
	historiesSlotsSQL string
	//go:embed histories_children.sql
	historiesChildrenSQL string
)

// AddHistories makes the demo's SYNTHETIC children's social care histories (care_episodes,
// synthetic.Histories) for every council whose contacts are synthetic (none loaded under
// metadata contacts_loaded:CODE), replacing any it made before: the modelled children at each
// 31 March, some of them linked to hub children by person id. A council at a time, so that one
// council's children are in memory at once.
func AddHistories(ctx context.Context, conn *sql.Conn) error {
	codes, err := networkCouncils(ctx, conn)
	if err != nil {
		return err
	}
	for _, code := range codes {
		var loaded bool
		if err := conn.QueryRowContext(ctx, "SELECT count(*) > 0 FROM metadata WHERE key = 'contacts_loaded:' || $1", code).Scan(&loaded); err != nil {
			return err
		}
		if loaded {
			continue
		}
		if _, err := conn.ExecContext(ctx, "DELETE FROM care_episodes WHERE council_code = $1 AND source = 'synthetic'", code); err != nil {
			return err
		}
		slots, children, err := historyInputs(ctx, conn, code)
		if err != nil {
			return err
		}
		err = appendRows(conn, func(app func(table string, rows ...[]driver.Value) error) error {
			return synthetic.Histories(slots, children, func(e synthetic.CareEpisode) error {
				var person, end, reason, method driver.Value
				if e.PersonID != 0 {
					person, method = e.PersonID, "person id"
				}
				if !e.End.IsZero() {
					end = e.End
				}
				if e.EndReason != "" {
					reason = e.EndReason
				}
				return app("care_episodes", []driver.Value{e.Council, e.CareID, person, e.Kind, e.Start, end, reason, e.LSOA, method, "synthetic"})
			})
		})
		if err != nil {
			return fmt.Errorf("care histories of %s: %w", code, err)
		}
	}
	return nil
}

func historyInputs(ctx context.Context, conn *sql.Conn, code string) ([]synthetic.CareSlot, []synthetic.HubChild, error) {
	var slots []synthetic.CareSlot
	rows, err := conn.QueryContext(ctx, historiesSlotsSQL, code)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		s := synthetic.CareSlot{Council: code}
		if err := rows.Scan(&s.LSOA, &s.Year, &s.InNeed, &s.Plan, &s.LookedAfter); err != nil {
			rows.Close()
			return nil, nil, err
		}
		slots = append(slots, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var children []synthetic.HubChild
	rows, err = conn.QueryContext(ctx, historiesChildrenSQL, code)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c synthetic.HubChild
		var birth, first time.Time
		if err := rows.Scan(&c.ID, &c.LSOA, &birth, &first); err != nil {
			return nil, nil, err
		}
		c.Birth, c.First = birth, first
		children = append(children, c)
	}
	return slots, children, rows.Err()
}
