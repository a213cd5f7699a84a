package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/readi-platform/readi/internal/model"
)

// checkScenario checks a scenario's story graph: ids, texts and feedback,
// every next naming a step, every step reachable from the first, no loops
// (so every path ends) and at least one ending worth points, because
// grading divides a path's points by the best path's.
func checkScenario(is *issues, path, name string, steps []model.Step) {
	if len(steps) == 0 {
		is.add(path+".steps", "%s: scenario question needs at least one step", name)
		return
	}
	index := map[string]int{}
	seenSteps, seenChoices := map[string]bool{}, map[string]bool{}
	for j, st := range steps {
		p := fmt.Sprintf("%s.steps[%d]", path, j)
		label := checkID(is, p, name, "step", j, st.ID, seenSteps)
		if _, ok := index[st.ID]; !ok && st.ID != "" {
			index[st.ID] = j
		}
		if blank(st.Text) {
			is.add(p+".text", "%s: %s: text is required", name, label)
		}
		if len(st.Choices) == 0 {
			is.add(p+".choices", "%s: %s needs at least one choice", name, label)
		}
		for k, ch := range st.Choices {
			cp := fmt.Sprintf("%s.choices[%d]", p, k)
			cl := checkID(is, cp, name, "choice", k, ch.ID, seenChoices)
			if blank(ch.Text) {
				is.add(cp+".text", "%s: %s: text is required", name, cl)
			}
			if blank(ch.Feedback) {
				is.add(cp+".feedback", "%s: %s has no feedback", name, cl)
			}
			if badPoints(ch.Points) {
				is.add(cp+".points", "%s: %s: points must be a number of 0 or more, found %g", name, cl, ch.Points)
			}
		}
	}
	// next[j] lists the steps that step j leads to; unknown names are
	// reported here and left out of the graph.
	next := make([][]int, len(steps))
	dangling := false
	for j, st := range steps {
		for k, ch := range st.Choices {
			if ch.Next == "" {
				continue
			}
			to, ok := index[ch.Next]
			if !ok {
				cp := fmt.Sprintf("%s.steps[%d].choices[%d].next", path, j, k)
				is.add(cp, "%s: choice %s: next %q names no step of this question", name, ch.ID, ch.Next)
				dangling = true
				continue
			}
			next[j] = append(next[j], to)
		}
	}
	reached := make([]bool, len(steps))
	queue := []int{0}
	reached[0] = true
	for len(queue) > 0 {
		j := queue[0]
		queue = queue[1:]
		for _, to := range next[j] {
			if !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	for j, ok := range reached {
		if !ok {
			is.add(fmt.Sprintf("%s.steps[%d]", path, j), "%s: step %s cannot be reached from the start step %s", name, steps[j].ID, steps[0].ID)
		}
	}
	if loop := findLoop(next); loop != nil {
		ids := make([]string, len(loop))
		for i, j := range loop {
			ids[i] = steps[j].ID
		}
		is.add(fmt.Sprintf("%s.steps[%d]", path, loop[0]), "%s: steps %s form a loop, so the story never ends", name, strings.Join(ids, " -> "))
		return
	}
	if !dangling && bestPath(steps, index, 0, map[int]float64{}) <= 0 {
		is.add(path+".steps", "%s: no path through the story scores more than 0 points", name)
	}
}

// findLoop returns the steps of a cycle, the first repeated at the end, or
// nil if the graph has none.
func findLoop(next [][]int) []int {
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(next))
	var stack, loop []int
	var visit func(j int) bool
	visit = func(j int) bool {
		state[j] = active
		stack = append(stack, j)
		for _, to := range next[j] {
			switch state[to] {
			case active:
				for i, s := range stack {
					if s == to {
						loop = append(append([]int{}, stack[i:]...), to)
						return true
					}
				}
			case unseen:
				if visit(to) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[j] = done
		return false
	}
	for j := range next {
		if state[j] == unseen && visit(j) {
			return loop
		}
	}
	return nil
}

// bestPath is the highest score of a path from step j to an ending; the
// graph must have no loop.
func bestPath(steps []model.Step, index map[string]int, j int, memo map[int]float64) float64 {
	if v, ok := memo[j]; ok {
		return v
	}
	best := 0.0
	for _, ch := range steps[j].Choices {
		score := ch.Points
		if ch.Next != "" {
			to, ok := index[ch.Next]
			if !ok {
				continue
			}
			score += bestPath(steps, index, to, memo)
		}
		if score > best {
			best = score
		}
	}
	memo[j] = best
	return best
}

// givesAway reports whether ids, listed in the correct order, are already
// sorted, either byte-wise or "naturally" (i2 before i10): a learner who
// sorts the shuffled ids would then get the answer for free.
func givesAway(ids []string) bool {
	for _, less := range []func(a, b string) bool{byteLess, naturalLess} {
		if sort.SliceIsSorted(ids, func(i, j int) bool { return less(ids[i], ids[j]) }) {
			return true
		}
	}
	return false
}

// rightFollowsLeft reports whether sorting the pairs by left id also sorts
// their right ids, which would let a learner match by id alone.
func rightFollowsLeft(pairs []model.Pair) bool {
	for _, less := range []func(a, b string) bool{byteLess, naturalLess} {
		ps := append([]model.Pair(nil), pairs...)
		sort.SliceStable(ps, func(i, j int) bool { return less(ps[i].Left.ID, ps[j].Left.ID) })
		if sort.SliceIsSorted(ps, func(i, j int) bool { return less(ps[i].Right.ID, ps[j].Right.ID) }) {
			return true
		}
	}
	return false
}

func byteLess(a, b string) bool { return a < b }

// naturalLess compares runs of digits by value and everything else byte-wise.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			da, db := digitRun(a), digitRun(b)
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitRun(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

func joinIDs(ids []string) string { return strings.Join(ids, ", ") }
