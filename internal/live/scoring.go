package live

import "math"

// Points for an answer, Kahoot-style but server-timed: a fully correct
// answer earns 1000 at once falling to 500 at the buzzer (1000 when the
// game is untimed), partial credit scales that by the fraction right, and
// each fully correct answer in a row after the first adds 100 more, up to
// 500. elapsed is measured by the server from when the question opened to
// when the answer arrived, never taken from the client.
func points(fraction float64, elapsedMS, limitMS int64, streak int) int {
	if fraction <= 0 {
		return 0
	}
	speed := 1.0
	if limitMS > 0 {
		e := math.Min(math.Max(float64(elapsedMS), 0), float64(limitMS))
		speed = 1 - e/float64(limitMS)/2
	}
	p := int(math.Round(1000 * speed * fraction))
	if fraction >= fullMarks {
		p += streakBonus(streak)
	}
	return p
}

// fullMarks is how close to 1 a fraction must be to count as correct.
const fullMarks = 1 - 1e-9

// streakBonus is the bonus for the streak-th correct answer in a row.
func streakBonus(streak int) int {
	if streak < 2 {
		return 0
	}
	return min(100*(streak-1), 500)
}
