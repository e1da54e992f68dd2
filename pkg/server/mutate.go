package server

import (
	"context"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/plan"
	"github.com/rocksteady/rocksteady/pkg/response"
)

// mutate runs a planned POST/PATCH/PUT/DELETE.
func (p *pipeline) mutate(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, m *plan.Mutation) (*response.Response, *apierr.Error) {
	return nil, apierr.UnsupportedMethod(r.Method)
}
