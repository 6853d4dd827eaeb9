package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pinready/pinready/checks"
)

// Shard is one machine's part of a run spread over a CI job matrix
// (`check --shard K/N`): of the run's configs, in the order one run would
// audit them, shard K of N audits those at positions K-1, K-1+N, K-1+2N, …
// Every shard lists the same configs from the same command line, so they
// agree on their parts without talking, and each part is within one app
// of the others. The zero Shard is the whole run.
type Shard struct {
	K, N int
}

// ParseShard reads K/N, 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, &checks.UsageError{Msg: fmt.Sprintf("--shard %s: want K/N with 1 ≤ K ≤ N, such as 2/3", s)}
	}
	return Shard{K: ki, N: ni}, nil
}

// Has says whether the config at position i of the run is this shard's.
func (s Shard) Has(i int) bool { return s.N <= 1 || i%s.N == s.K-1 }

// Sharded says whether the run is split at all (N > 1, or an explicit 1/1).
func (s Shard) Sharded() bool { return s.N >= 1 }

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }
