package pipeline

import (
	"slices"
	"testing"
)

// Every position of a run belongs to exactly one shard, and the shards'
// parts differ by at most one app.
func TestShardsPartitionTheRun(t *testing.T) {
	for n := 1; n <= 5; n++ {
		for apps := 0; apps <= 12; apps++ {
			owners := make([]int, apps)
			var sizes []int
			for k := 1; k <= n; k++ {
				s, err := ParseShard(Shard{K: k, N: n}.String())
				if err != nil {
					t.Fatal(err)
				}
				size := 0
				for i := range apps {
					if s.Has(i) {
						owners[i]++
						size++
					}
				}
				sizes = append(sizes, size)
			}
			if slices.ContainsFunc(owners, func(o int) bool { return o != 1 }) {
				t.Errorf("%d apps in %d shards: owners per app %v", apps, n, owners)
			}
			if slices.Max(sizes)-slices.Min(sizes) > 1 {
				t.Errorf("%d apps in %d shards: sizes %v", apps, n, sizes)
			}
		}
	}
	if !(Shard{}).Has(7) || (Shard{}).Sharded() {
		t.Error("the zero Shard is the whole run")
	}
}

func TestParseShardRefuses(t *testing.T) {
	for _, s := range []string{"", "1", "0/3", "4/3", "1/0", "-1/2", "a/b", "1/2/3", "2 /3"} {
		if _, err := ParseShard(s); err == nil {
			t.Errorf("ParseShard(%q) accepted", s)
		}
	}
}
