package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/pinready/pinready/checks"
)

// MergeShards rebuilds one run over all apps from the summaries of its
// shards (`check --shard K/N`, then `pinready merge`): every app at its
// place in the run, as one run would have listed it, with its report,
// verdict, times and whether a check could not run; the CPU times added
// up. Every shard 1..N of the run must be there exactly once. A summary
// without a shard part is a whole run (shard 1/1). files name the
// summaries in messages.
// maxMergedApps bounds the run size a summary may claim, so a damaged or
// hostile summary cannot make merge allocate without end.
const maxMergedApps = 1 << 20

func MergeShards(files []string, parts []*Combined) ([]AppOutcome, *CPUTime, error) {
	if len(parts) == 0 {
		return nil, nil, fmt.Errorf("no summary to merge")
	}
	type slot struct {
		outcome AppOutcome
		from    string
	}
	var (
		n, apps int
		run     []*slot
		seen    = map[int]string{} // shard K -> file
		cpu     *CPUTime
	)
	for i, c := range parts {
		file := files[i]
		if c.SchemaVersion != checks.SchemaVersion {
			return nil, nil, fmt.Errorf("%s: schema_version %d, want %d", file, c.SchemaVersion, checks.SchemaVersion)
		}
		if len(c.Apps) != len(c.Reports) || slices.Contains(c.Reports, nil) {
			return nil, nil, fmt.Errorf("%s: not a pinready summary: %d apps but %d reports", file, len(c.Apps), len(c.Reports))
		}
		sh := c.shardOrWhole()
		if i == 0 {
			n, apps = sh.N, sh.Apps
			if apps < 0 || apps > maxMergedApps {
				return nil, nil, fmt.Errorf("%s: a run of %d apps is not one pinready wrote", file, apps)
			}
			run = make([]*slot, apps)
		}
		switch {
		case sh.N != n || sh.Apps != apps:
			return nil, nil, fmt.Errorf("%s: shard %d/%d of a run of %d apps, but %s is shard %d/%d of %d apps: not the same run",
				file, sh.K, sh.N, sh.Apps, files[0], parts[0].shardOrWhole().K, n, apps)
		case sh.K < 1 || sh.K > n:
			return nil, nil, fmt.Errorf("%s: shard %d/%d is out of range", file, sh.K, sh.N)
		case seen[sh.K] != "":
			return nil, nil, fmt.Errorf("%s: shard %d/%d is also in %s", file, sh.K, n, seen[sh.K])
		case len(sh.Positions) != len(c.Apps):
			return nil, nil, fmt.Errorf("%s: %d positions for %d apps", file, len(sh.Positions), len(c.Apps))
		}
		seen[sh.K] = file
		for j, p := range sh.Positions {
			if p < 0 || p >= apps {
				return nil, nil, fmt.Errorf("%s: app position %d out of a run of %d", file, p, apps)
			}
			if run[p] != nil {
				return nil, nil, fmt.Errorf("%s: app %d (%s) is also in %s", file, p, c.Apps[j].Name, run[p].from)
			}
			line := c.Apps[j]
			o := AppOutcome{Name: line.Name, Report: c.Reports[j], Incomplete: line.Incomplete, Timing: Timing{Wall: time.Duration(line.WallMS) * time.Millisecond}}
			if line.SlowestStep != nil {
				o.Slowest, o.SlowestTook = line.SlowestStep.Name, time.Duration(line.SlowestStep.MS)*time.Millisecond
			}
			run[p] = &slot{outcome: o, from: file}
		}
		if c.CPU != nil {
			if cpu == nil {
				cpu = &CPUTime{}
			}
			cpu.TotalMS += c.CPU.TotalMS
			cpu.ChromiumMS += c.CPU.ChromiumMS
		}
	}
	for k := 1; k <= n; k++ {
		if seen[k] == "" {
			return nil, nil, fmt.Errorf("shard %d/%d is missing: merge the summaries of all %d shards", k, n, n)
		}
	}
	out := make([]AppOutcome, apps)
	for p, s := range run {
		if s == nil {
			// Every shard is here, yet an app is not: a shard's summary
			// was edited, or written by a different list of configs.
			return nil, nil, fmt.Errorf("app %d of %d is in no summary: were the shards run with the same --config list?", p+1, apps)
		}
		out[p] = s.outcome
	}
	if cpu != nil {
		cpu = NewCPUTime(time.Duration(cpu.TotalMS)*time.Millisecond, time.Duration(cpu.ChromiumMS)*time.Millisecond)
	}
	return out, cpu, nil
}

// shardOrWhole is c's shard part, or shard 1/1 for a whole run.
func (c *Combined) shardOrWhole() ShardPart {
	if c.Shard != nil {
		return *c.Shard
	}
	whole := ShardPart{K: 1, N: 1, Apps: len(c.Apps)}
	for p := range c.Apps {
		whole.Positions = append(whole.Positions, p)
	}
	return whole
}
