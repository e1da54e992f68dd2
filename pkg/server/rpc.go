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

// call runs a planned /rpc/<fn> request.
func (p *pipeline) call(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, c *plan.Call) (*response.Response, *apierr.Error) {
	return nil, apierr.UnsupportedMethod(r.Method)
}
