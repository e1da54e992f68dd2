package report

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var targetColors = map[string]color.RGBA{
	Rocksteady: {0xd6, 0x27, 0x28, 0xff},
	Floor:      {0x1f, 0x77, 0xb4, 0xff},
	PGBench:    {0x2c, 0xa0, 0x2c, 0xff},
}

const (
	panelW, panelH = 360, 260
	margin         = 48
)

// Plot draws one panel per scenario: p99 latency (log scale) against offered rate, one
// line per target.
func (r *Report) Plot(w io.Writer) error {
	var scen []Scenario
	for _, s := range r.Scenarios {
		if s.Unavailable == "" {
			scen = append(scen, s)
		}
	}
	cols := 3
	rows := (len(scen) + cols - 1) / cols
	if rows == 0 {
		rows = 1
	}
	img := image.NewRGBA(image.Rect(0, 0, cols*panelW, rows*panelH+30))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	x := 10
	for _, t := range []string{Rocksteady, Floor, PGBench} {
		fillRect(img, x, 10, 14, 8, targetColors[t])
		label(img, x+18, 18, t, color.Black)
		x += 120
	}
	label(img, x+20, 18, "p99 latency (ms, log scale) vs offered rate (req/s)", color.Black)
	for i, s := range scen {
		ox, oy := (i%cols)*panelW, 30+(i/cols)*panelH
		r.panel(img, ox, oy, s)
	}
	return png.Encode(w, img)
}

func (r *Report) panel(img *image.RGBA, ox, oy int, s Scenario) {
	left, top := ox+margin, oy+20
	w, h := panelW-margin-15, panelH-margin-25
	label(img, left, oy+14, s.Name, color.Black)
	maxRate, minLat, maxLat := 0.0, math.Inf(1), 0.0
	for _, row := range r.Rows {
		if row.Scenario != s.Name || row.Result.Latency.N == 0 {
			continue
		}
		maxRate = math.Max(maxRate, row.Rate)
		l := float64(row.Result.Latency.P99.Microseconds()) / 1000
		minLat, maxLat = math.Min(minLat, l), math.Max(maxLat, l)
	}
	grey := color.RGBA{0xaa, 0xaa, 0xaa, 0xff}
	line(img, left, top+h, left+w, top+h, grey)
	line(img, left, top, left, top+h, grey)
	if maxRate == 0 {
		return
	}
	lo := math.Floor(math.Log10(math.Max(minLat, 0.01)))
	hi := math.Ceil(math.Log10(math.Max(maxLat, 0.1)))
	if hi <= lo {
		hi = lo + 1
	}
	px := func(rate float64) int { return left + int(rate/maxRate*float64(w)) }
	py := func(lat float64) int {
		v := (math.Log10(math.Max(lat, 0.01)) - lo) / (hi - lo)
		return top + h - int(v*float64(h))
	}
	for e := lo; e <= hi; e++ {
		y := py(math.Pow(10, e))
		line(img, left-3, y, left+w, y, color.RGBA{0xee, 0xee, 0xee, 0xff})
		label(img, ox+4, y+4, strconv.FormatFloat(math.Pow(10, e), 'g', 3, 64), color.Black)
	}
	if s.SeedTarget > 0 {
		ty := py(float64(s.SeedTarget.Microseconds()) / 1000)
		if ty >= top {
			for xx := left; xx < left+w; xx += 6 {
				line(img, xx, ty, xx+3, ty, color.RGBA{0xff, 0x99, 0x00, 0xff})
			}
		}
	}
	label(img, left+w-60, top+h+16, strconv.FormatFloat(maxRate, 'f', 0, 64)+"/s", color.Black)
	label(img, left, top+h+16, "0", color.Black)
	for _, t := range []string{Rocksteady, Floor, PGBench} {
		rows := r.rows(s.Name, t)
		prevX, prevY := -1, -1
		for _, row := range rows {
			if row.Result.Latency.N == 0 {
				continue
			}
			x, y := px(row.Rate), py(float64(row.Result.Latency.P99.Microseconds())/1000)
			fillRect(img, x-2, y-2, 5, 5, targetColors[t])
			if prevX >= 0 {
				line(img, prevX, prevY, x, y, targetColors[t])
			}
			prevX, prevY = x, y
		}
	}
}

func label(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func fillRect(img *image.RGBA, x, y, w, h int, c color.Color) {
	draw.Draw(img, image.Rect(x, y, x+w, y+h), image.NewUniform(c), image.Point{}, draw.Src)
}

// line draws with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for i := 0; i < 10000; i++ {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
