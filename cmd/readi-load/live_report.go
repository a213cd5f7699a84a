package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// evaluate adds the live scenario's checks.
func (l *liveResult) evaluate(add func(name, want, got string, pass bool)) {
	add("live: question fan-out to the last player, p99", "< "+ms(maxFanoutP99),
		fmt.Sprintf("%s (p50 %s; every delivery p50 %s, p99 %s)", ms(l.LastP99), ms(l.LastP50), ms(l.AllP50), ms(l.AllP99)),
		len(l.PerQuestion) > 0 && l.Deliveries > 0 && l.LastP99 < maxFanoutP99)
	add("live: open streams that missed a question", "0", fmt.Sprintf("%d missed, %d streams ended by the server", l.Missed, l.Broken),
		l.Missed == 0 && l.Broken == 0)
	add("live: streams ended unexpectedly", "0", fmt.Sprint(l.Streams.UnexpectedEnds), l.Streams.UnexpectedEnds == 0)
	add("live: POST answers p99, from when due", "< "+ms(maxLiveAnswerP99),
		fmt.Sprintf("%s (%d requests; on the connection alone %s)", ms(l.Answers.DueP99), l.Answers.Requests, ms(l.Answers.P99)),
		l.Answers.Requests > 0 && l.Answers.DueP99 < maxLiveAnswerP99)
	peak := int64(0)
	for _, r := range l.ServerRSS {
		peak = max(peak, r)
	}
	add("live: servers' peak RSS (VmHWM)", "< "+mib(maxServerRSS), mibs(l.ServerRSS), peak > 0 && peak < maxServerRSS)
	a := l.Answers
	add("live: every question answered by every player", fmt.Sprintf("%d acknowledged or too late", a.Expected),
		fmt.Sprintf("%d acknowledged (%d replayed), %d too late, %d not current, %d failed, %d unanswered", a.Acked, a.Replayed, a.TooLate, a.NotCurrent, a.Failed,
			a.Expected-a.Acked-a.TooLate-a.NotCurrent-a.Failed),
		a.Failed == 0 && a.Acked+a.TooLate+a.NotCurrent == a.Expected && a.Acked > 0)
	if s := l.Store; s != nil {
		add("live: acknowledged answers stored once", fmt.Sprintf("%d, none doubled", s.Acked),
			fmt.Sprintf("%d missing, %d mismatched, %d doubled, %d unexplained rows", s.Missing, s.Mismatched, s.Doubled, s.Unexplained),
			s.Missing == 0 && s.Mismatched == 0 && s.Doubled == 0 && s.Unexplained == 0 && s.Acked == a.Acked)
		add("live: final scores = sum of stored points", fmt.Sprintf("%d players", l.Players),
			fmt.Sprintf("%d wrong (%d of %d chaos players)", s.ScoreWrong, s.ChaosWrong, s.ChaosChecked),
			s.ScoreWrong == 0 && s.PlayersScored == l.Players)
	} else {
		add("live: acknowledged answers stored once", "checked", "not checked", false)
	}
	add("live: host report scores = final states", "0 different", fmt.Sprint(l.ReportScores), l.ReportScores == 0)
	add("live: players at the end", fmt.Sprintf("%d ended, no errors", l.Players),
		fmt.Sprintf("%d not ended, %d with errors", l.NotEnded, l.PlayerErrors), l.NotEnded == 0 && l.PlayerErrors == 0)
	add("live: host", "no errors", fmt.Sprintf("%d errors", len(l.HostErrors)), len(l.HostErrors) == 0)
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func mibs(bs []int64) string {
	var out []string
	for _, b := range bs {
		out = append(out, mib(b))
	}
	if len(out) == 0 {
		return "unknown"
	}
	return strings.Join(out, " + ")
}

// writeLiveTable prints the live scenario for people.
func writeLiveTable(w io.Writer, r *report) {
	l := r.Live
	fmt.Fprintf(w, "READI live game: %s database, %d server process(es), %d players (%d dropping and reconnecting, -seed %d), %d questions, %s time limit, answers within %s\n",
		r.Dialect, l.Replicas, l.Players, l.ChaosPlayers, l.Seed, len(l.Questions), l.TimeLimit, l.Think)
	fmt.Fprintf(w, "%d CPUs shared by the servers and the load generator, %s, load average %s at start and %s at end; open files limit %v; %d pooled connections per replica for joins, answers and reads\n",
		r.CPUs, r.Go, r.LoadAverage, r.LoadAverageEnd, l.NoFile, l.AnswerConns)
	fmt.Fprintf(w, "joins took %s; the game %s; CPU used: servers %.1f s, load generator %.1f s (peak RSS %s), PostgreSQL %.1f s, other programs %.1f s\n\n",
		l.JoinTime, l.GameTime, l.ServerCPU, l.LoadGenCPU, mib(l.LoadGenRSS), l.PostgresCPU, max(0, l.MachineCPU-l.ServerCPU-l.LoadGenCPU-l.PostgresCPU))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "seq\tquestion\tclosed by\topen for\trecipients\tnext replied\tfirst\tp50\tp99\tlast player\treveal: last player\tCPU in fan-out: servers / load / PostgreSQL / others\t")
	for _, q := range l.PerQuestion {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f / %.2f / %.2f / %.2f s in %s\t\n", q.Seq, q.Question, q.Ended, q.Open.Round(time.Millisecond),
			q.Recipients, ms(q.NextReply), ms(q.First), ms(q.P50), ms(q.P99), ms(q.Last), ms(q.Reveal), q.CPU.Servers.Seconds(), q.CPU.LoadGen.Seconds(), q.CPU.Postgres.Seconds(), q.CPU.other().Seconds(), q.Window.Round(time.Millisecond))
	}
	tw.Flush()
	fmt.Fprintln(w, "(times from the host's POST next being sent: to its reply, and to the state event read by a player whose stream was open then;")
	fmt.Fprintln(w, " CPU in fan-out: CPU time the servers' processes, the load generator, PostgreSQL and other programs used")
	fmt.Fprintf(w, " from that POST until every online player had the question, out of %d CPUs × the window)\n", r.CPUs)
	fmt.Fprintf(w, "\nquestion fan-out, last player over %d questions: p50 %s, p99 %s, max %s; every delivery (%d): p50 %s, p99 %s, max %s\n",
		len(l.PerQuestion), ms(l.LastP50), ms(l.LastP99), ms(l.LastMax), l.Deliveries, ms(l.AllP50), ms(l.AllP99), ms(l.AllMax))
	for _, rf := range l.ByReplica {
		via := "the host's replica"
		if rf.Replica > 1 {
			via = "through LISTEN/NOTIFY"
		}
		fmt.Fprintf(w, "  replica %d (%s): %d players, %d deliveries, p50 %s, p99 %s, max %s\n", rf.Replica, via, rf.Players, rf.Deliveries, ms(rf.P50), ms(rf.P99), ms(rf.Max))
	}
	fmt.Fprintf(w, "reveal fan-out: last player p99 %s, every delivery p99 %s; ended: last player %s\n", ms(l.RevealLastP99), ms(l.RevealAllP99), ms(l.EndedLast))
	fmt.Fprintf(w, "streams: %d state events (%d bytes on average, largest %d); %d chaos drops, %d reconnects, %d ended unexpectedly; deliveries not counted because a chaos drop came first: %d\n",
		l.Streams.StateEvents, l.Streams.AvgEventBytes, l.Streams.MaxEventBytes, l.Streams.Drops, l.Streams.Reconnects, l.Streams.UnexpectedEnds, l.ChaosExcluded)
	a := l.Answers
	fmt.Fprintf(w, "answers: %d expected, %d never seen; %d given, %d acknowledged (%d with Idempotent-Replayed, %d by chaos players), %d too late, %d not current, %d closed, %d failed; %d requests cut, %d retries\n",
		a.Expected, a.Unseen, a.Sent, a.Acked, a.Replayed, a.ChaosAnswers, a.TooLate, a.NotCurrent, a.Closed, a.Failed, a.Cut, a.Retries)
	fmt.Fprintf(w, "POST answers: %d requests; from when due p50 %s, p99 %s, max %s; on the connection alone p50 %s, p99 %s, max %s (waiting for one of the pooled connections: p99 %s)\n",
		a.Requests, ms(a.DueP50), ms(a.DueP99), ms(a.DueMax), ms(a.P50), ms(a.P99), ms(a.Max), ms(a.PoolWaitP99))
	if s := l.Store; s != nil {
		fmt.Fprintf(w, "stored: %d rows; %d acknowledged answers, %d missing, %d mismatched, %d doubled; %d stored from a cut request whose retry was too late; %d unexplained\n",
			s.Rows, s.Acked, s.Missing, s.Mismatched, s.Doubled, s.CutStored, s.Unexplained)
		fmt.Fprintf(w, "scores: %d players checked against their rows (%d chaos players): %d wrong\n", s.PlayersScored, s.ChaosChecked, s.ScoreWrong)
		for _, x := range s.Samples {
			fmt.Fprintln(w, "  ", x)
		}
	}
	fmt.Fprintf(w, "server peak RSS: %s\n", mibs(l.ServerRSS))
	for _, warning := range r.Warnings {
		fmt.Fprintln(w, "warning:", warning)
	}
	for _, e := range l.ErrorSamples {
		fmt.Fprintln(w, "  player error:", e)
	}
	for _, e := range l.HostErrors {
		fmt.Fprintln(w, "  host error:", e)
	}
}
