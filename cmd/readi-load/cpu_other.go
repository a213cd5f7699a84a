//go:build !unix

package main

import "time"

func processCPU() time.Duration { return 0 }

func loadAverage() string { return "" }

func raiseNoFile() uint64 { return 0 }

func noFileLimit() uint64 { return 0 }

func procStatusKB(int, string) int64 { return 0 }

func machineCPU() time.Duration { return 0 }

func postgresCPU() time.Duration { return 0 }
