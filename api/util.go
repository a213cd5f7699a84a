package api

import (
	"net/http"
	"sort"
	"strconv"
)

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sortStrings(s []string)         { sort.Strings(s) }
func itoa(i int) string              { return strconv.Itoa(i) }
func httpStatusText(code int) string { return http.StatusText(code) }
