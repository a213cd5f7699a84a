// Package model holds READI's plain domain types: roles, the curriculum
// taxonomy, content, attempts and the request types the API accepts. It
// imports no I/O so every other package can depend on it.
package model

// Role is what a user may do. Roles are ordered: an admin can do anything an
// educator can, and an educator anything a learner can.
type Role string

// The three kinds of user.
const (
	RoleLearner  Role = "learner"
	RoleEducator Role = "educator"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleLearner || r == RoleEducator || r == RoleAdmin }

// rank orders roles so that route groups can require "at least" a role.
func (r Role) rank() int {
	switch r {
	case RoleLearner:
		return 1
	case RoleEducator:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// AtLeast reports whether r grants everything min grants.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Category is the kind of offence a module is about (design section 2).
type Category string

// The offence categories.
const (
	CategoryData     Category = "data"
	CategoryComputer Category = "computer"
	CategoryContent  Category = "content"
	CategoryCross    Category = "cross"
)

// Categories lists every category in display order.
var Categories = []Category{CategoryData, CategoryComputer, CategoryContent, CategoryCross}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Cluster is one of the conference's three clusters.
type Cluster string

// The clusters.
const (
	ClusterPrevention Cluster = "prevention"
	ClusterLaw        Cluster = "law"
	ClusterInnovation Cluster = "innovation"
)

// Clusters lists every cluster in display order.
var Clusters = []Cluster{ClusterPrevention, ClusterLaw, ClusterInnovation}

// Valid reports whether c is a known cluster.
func (c Cluster) Valid() bool {
	for _, k := range Clusters {
		if c == k {
			return true
		}
	}
	return false
}

// Value is one of the ASEAN core values on digital literacy that give READI
// its name. Every lesson and question carries at least one.
type Value string

// The READI values.
const (
	Responsibility Value = "responsibility"
	Empathy        Value = "empathy"
	Authenticity   Value = "authenticity"
	Discernment    Value = "discernment"
	Integrity      Value = "integrity"
)

// Values lists the READI values in the order of the acronym.
var Values = []Value{Responsibility, Empathy, Authenticity, Discernment, Integrity}

// Valid reports whether v is a READI value.
func (v Value) Valid() bool {
	for _, k := range Values {
		if v == k {
			return true
		}
	}
	return false
}

// Levels a module can be written for.
var Levels = []string{"beginner", "intermediate", "advanced"}
