package plan

import (
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// Mutation is a planned POST, PATCH, PUT or DELETE on a relation.
type Mutation struct{}

func planMutation(req *apireq.Request, cat catalog, rel *schema.Relation, opts Options) (*Mutation, error) {
	return nil, apierr.UnsupportedMethod(req.Method)
}
