package server

import (
	"context"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
	"github.com/rocksteady/rocksteady/pkg/auth"
	"github.com/rocksteady/rocksteady/pkg/response"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

// root serves GET / (the OpenAPI document).
func (p *pipeline) root(ctx context.Context, r *http.Request, req *apireq.Request, who auth.Result, snap *schema.Snapshot) (*response.Response, *apierr.Error) {
	return nil, apierr.UnsupportedMethod(r.Method)
}
