package report

import (
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
)

// shardOf is the summary of shard k/n of a run of apps configs, holding the
// apps at positions.
func shardOf(k, n, apps int, positions ...int) *Combined {
	var outs []AppOutcome
	for _, p := range positions {
		name := string(rune('a' + p))
		outs = append(outs, AppOutcome{Name: name, Report: &checks.Report{App: checks.AppRef{Name: name}, Verdict: checks.VerdictReady},
			Timing: Timing{Wall: time.Duration(p) * time.Second}})
	}
	c := NewCombined(checks.Tool{Name: "pinready"}, outs, nil)
	c.SchemaVersion = checks.SchemaVersion
	c.CPU = NewCPUTime(2*time.Second, time.Second)
	c.Shard = &ShardPart{K: k, N: n, Apps: apps, Positions: positions}
	return c
}

// Shards given in any order put every app back in its place; their CPU
// times add up.
func TestMergeShardsOrdersApps(t *testing.T) {
	apps, cpu, err := MergeShards([]string{"s2", "s1"}, []*Combined{shardOf(2, 2, 5, 1, 3), shardOf(1, 2, 5, 0, 2, 4)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range apps {
		names = append(names, a.Name)
	}
	if strings.Join(names, "") != "abcde" || apps[3].Wall != 3*time.Second {
		t.Errorf("apps %v, app d's wall %v", names, apps[3].Wall)
	}
	if *cpu != (CPUTime{TotalMS: 4000, ChromiumMS: 2000, ChromiumPercent: 50}) {
		t.Errorf("cpu %+v", *cpu)
	}
}

// A merge that would not be one whole run is refused, naming what is wrong.
func TestMergeShardsRefusesPartialRuns(t *testing.T) {
	for _, c := range []struct {
		name  string
		parts []*Combined
		want  string
	}{
		{"missing shard", []*Combined{shardOf(1, 3, 5, 0, 3), shardOf(3, 3, 5, 2)}, "shard 2/3 is missing"},
		{"same shard twice", []*Combined{shardOf(1, 2, 5, 0, 2, 4), shardOf(1, 2, 5, 0, 2, 4)}, "shard 1/2 is also in f0"},
		{"another run", []*Combined{shardOf(1, 2, 5, 0, 2, 4), shardOf(2, 2, 6, 1, 3, 5)}, "not the same run"},
		{"an app twice", []*Combined{shardOf(1, 2, 4, 0, 2), shardOf(2, 2, 4, 2, 3)}, "app 2 (c) is also in f0"},
		{"an app in none", []*Combined{shardOf(1, 2, 4, 0, 2), shardOf(2, 2, 4, 3)}, "app 2 of 4 is in no summary"},
		{"out of range", []*Combined{shardOf(3, 2, 4, 0)}, "out of range"},
		// A damaged or hostile summary may not make merge allocate a
		// slot per claimed app (before the bound: a panic or out of memory).
		{"a run of a trillion apps", []*Combined{shardOf(1, 1, 1<<40, 0)}, "not one pinready wrote"},
		{"a negative run", []*Combined{shardOf(1, 1, -1, 0)}, "not one pinready wrote"},
	} {
		files := make([]string, len(c.parts))
		for i := range files {
			files[i] = "f" + string(rune('0'+i))
		}
		_, _, err := MergeShards(files, c.parts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// A summary without a shard part is a whole run: merging it alone gives
// its apps back.
func TestMergeWholeRun(t *testing.T) {
	c := shardOf(1, 1, 2, 0, 1)
	c.Shard = nil
	apps, _, err := MergeShards([]string{"summary.json"}, []*Combined{c})
	if err != nil || len(apps) != 2 || apps[1].Name != "b" {
		t.Fatalf("apps %v, err %v", apps, err)
	}
}
