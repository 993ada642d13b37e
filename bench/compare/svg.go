//go:build linux

package main

import (
	"fmt"
	"html"
	"strings"
)

// bar is one bar of a grouped chart.
type bar struct {
	group, label string
	value        float64
}

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#9c755f", "#b07aa1"}

// chart draws bars grouped by group, one colour per label, with a dashed
// line at 1.0 (sockloop). Hand-written SVG, no dependencies.
func chart(title string, bars []bar) string {
	var groups, labels []string
	top := 1.2
	for _, b := range bars {
		if !contains(groups, b.group) {
			groups = append(groups, b.group)
		}
		if !contains(labels, b.label) {
			labels = append(labels, b.label)
		}
		top = max(top, b.value*1.1)
	}
	const bw, gap, left, plotH, topM = 14, 24, 50, 260, 40
	groupW := len(labels)*bw + gap
	w, h := left+len(groups)*groupW+20, topM+plotH+110
	y := func(v float64) float64 { return topM + plotH - v/top*plotH }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", w, h)
	fmt.Fprintf(&s, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="20" font-size="13">%s</text>`+"\n", left, html.EscapeString(title))
	for v := 0.0; v <= top; v += 0.25 {
		fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%.2f</text>`+"\n", left, w-10, y(v), y(v), left-4, y(v)+4, v)
	}
	fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="black" stroke-dasharray="4 3"/>`+"\n", left, w-10, y(1), y(1))
	for gi, g := range groups {
		x0 := left + gi*groupW + gap/2
		for _, b := range bars {
			if b.group != g {
				continue
			}
			li := index(labels, b.label)
			x := x0 + li*bw
			fmt.Fprintf(&s, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: %.2f</title></rect>`+"\n",
				x, y(b.value), bw-2, y(0)-y(b.value), palette[li%len(palette)], html.EscapeString(g), b.label, b.value)
		}
		fmt.Fprintf(&s, `<text transform="translate(%d,%d) rotate(30)">%s</text>`+"\n", x0, topM+plotH+14, html.EscapeString(g))
	}
	for li, l := range labels {
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			left+li*80, h-14, palette[li%len(palette)], left+li*80+14, h-5, l)
	}
	s.WriteString("</svg>\n")
	return s.String()
}

func contains(xs []string, x string) bool { return index(xs, x) >= 0 }

func index(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
