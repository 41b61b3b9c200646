package main

import (
	"fmt"
	"image/color"
	"io"

	"github.com/mdnsimd/mdnsimd/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// series is one layer of a plot: points or a line through (x[i], y[i]).
type series struct {
	label string
	x, y  []float32
	line  bool
	color color.Color
}

var (
	colorData   = color.NRGBA{R: 31, G: 119, B: 180, A: 90} // translucent blue
	colorModel  = color.NRGBA{R: 214, G: 39, B: 40, A: 255} // red
	colorSample = color.NRGBA{R: 214, G: 39, B: 40, A: 110} // translucent red
)

// savePNG draws the series on one set of axes and writes a PNG to path
// (through a temporary file, so a failed write leaves no partial image).
func savePNG(path, title, xlabel, ylabel string, ss ...series) error {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Add(plotter.NewGrid())
	for _, s := range ss {
		xys := make(plotter.XYs, len(s.x))
		for i := range xys {
			xys[i] = plotter.XY{X: float64(s.x[i]), Y: float64(s.y[i])}
		}
		if s.line {
			l, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("plot %s: %w", path, err)
			}
			l.Color = s.color
			l.Width = vg.Points(2)
			p.Add(l)
			if s.label != "" {
				p.Legend.Add(s.label, l)
			}
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.color, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if s.label != "" {
			p.Legend.Add(s.label, sc)
		}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return nil
}
