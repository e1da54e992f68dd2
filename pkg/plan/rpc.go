package plan

import (
	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
)

// Call is a planned function call on /rpc/<fn>.
type Call struct{}

func planCall(req *apireq.Request, cat catalog, opts Options) (*Call, error) {
	return nil, apierr.UnsupportedMethod(req.Method)
}
