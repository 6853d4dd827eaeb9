package terminal

import (
	"image/color"
	"strings"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// Screen is what the terminal shows at one moment, masked: every secret's
// cells hold "•", an authorization code keeps only its fingerprint. The
// video draws it; nothing else of the terminal reaches a frame.
type Screen struct {
	Cols, Rows int
	Cells      []Cell // Rows rows of Cols cells
	CursorX    int
	CursorY    int
	CursorOn   bool   // the cursor is visible
	Title      string // the title the command set (OSC 0/2), masked; "" if none
}

// At returns the cell at column x, row y.
func (s *Screen) At(x, y int) *Cell { return &s.Cells[y*s.Cols+x] }

// Text is the screen's text, row by row, trailing blanks removed.
func (s *Screen) Text() string {
	var b strings.Builder
	for y := range s.Rows {
		var row strings.Builder
		for x := range s.Cols {
			c := s.At(x, y)
			if c.Cont {
				continue
			}
			if c.Text == "" {
				row.WriteByte(' ')
			} else {
				row.WriteString(c.Text)
			}
		}
		b.WriteString(strings.TrimRight(row.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Cell is one character cell.
type Cell struct {
	Text string // one grapheme; "" for a blank
	Wide bool   // the grapheme takes this cell and the next
	Cont bool   // the second half of a wide grapheme: draw nothing
	FG   Color
	BG   Color
	Attr Attr
}

// Attr is a cell's text attributes.
type Attr uint8

const (
	Bold Attr = 1 << iota
	Faint
	Italic
	Underline
	Reverse
)

// Color is a cell's colour: Default, one of the 256 palette colours
// (Palette(n)), or a 24-bit colour (RGB). The theme that turns the default
// and the palette into pixels is the video's to choose.
type Color uint32

const (
	Default     Color = 0
	paletteKind Color = 1 << 24
	rgbKind     Color = 2 << 24
)

// Palette is palette colour n (0-15 the ANSI colours, 16-255 xterm's).
func Palette(n uint8) Color { return paletteKind | Color(n) }

// RGB is a 24-bit colour.
func RGB(r, g, b uint8) Color { return rgbKind | Color(r)<<16 | Color(g)<<8 | Color(b) }

// Index returns the palette index of a palette colour.
func (c Color) Index() (uint8, bool) { return uint8(c), c&0xFF000000 == paletteKind }

// RGB returns the components of a 24-bit colour.
func (c Color) RGB() (r, g, b uint8, ok bool) {
	return uint8(c >> 16), uint8(c >> 8), uint8(c), c&0xFF000000 == rgbKind
}

func toColor(c color.Color) Color {
	switch v := c.(type) {
	case nil:
		return Default
	case ansi.BasicColor:
		return Palette(uint8(v))
	case ansi.IndexedColor:
		return Palette(uint8(v))
	}
	r, g, b, _ := c.RGBA()
	return RGB(uint8(r>>8), uint8(g>>8), uint8(b>>8))
}

func toAttr(s uv.Style) Attr {
	var a Attr
	if s.Attrs&uv.AttrBold != 0 {
		a |= Bold
	}
	if s.Attrs&uv.AttrFaint != 0 {
		a |= Faint
	}
	if s.Attrs&uv.AttrItalic != 0 {
		a |= Italic
	}
	if s.Attrs&uv.AttrReverse != 0 {
		a |= Reverse
	}
	if s.Underline != uv.UnderlineNone {
		a |= Underline
	}
	return a
}

func toCell(c *uv.Cell) Cell {
	if c == nil {
		return Cell{}
	}
	out := Cell{FG: toColor(c.Style.Fg), BG: toColor(c.Style.Bg), Attr: toAttr(c.Style)}
	switch {
	case c.Width == 0 && c.Content == "":
		out.Cont = true
	case c.Content == " ":
	default:
		out.Text, out.Wide = c.Content, c.Width > 1
	}
	return out
}

// scrollbackForMask is how many lines above the screen are read to mask a
// secret that wrapped onto the screen's first row.
const scrollbackForMask = 4

// Snapshot returns the screen as it is now, masked.
func (s *Session) Snapshot() *Screen {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.emu
	sc := &Screen{Cols: s.o.Cols, Rows: s.o.Rows, Cells: make([]Cell, s.o.Cols*s.o.Rows)}
	for y := range sc.Rows {
		for x := range sc.Cols {
			sc.Cells[y*sc.Cols+x] = toCell(e.CellAt(x, y))
		}
	}
	var above [][]Cell
	if sb := e.Scrollback(); sb != nil {
		for i := max(0, sb.Len()-scrollbackForMask); i < sb.Len(); i++ {
			line := sb.Line(i)
			row := make([]Cell, sc.Cols)
			for x := 0; x < sc.Cols && x < len(line); x++ {
				row[x] = toCell(&line[x])
			}
			above = append(above, row)
		}
	}
	maskScreen(sc, above, s.m.Cover)
	p := e.CursorPosition()
	sc.CursorX, sc.CursorY, sc.CursorOn = p.X, p.Y, !e.CursorHidden()
	sc.Title = s.m.Text(s.title)
	return sc
}

// maskScreen hides every secret on the screen. A secret may run over the
// end of a row onto the next (a terminal wraps a long token), so rows are
// read as logical lines: a row whose last cell is not blank goes on in the
// next one, rows above the screen included. cover must keep the text's
// length in characters (redact.Masker.Cover).
func maskScreen(sc *Screen, above [][]Cell, cover func(string) string) {
	rows := make([][]Cell, 0, len(above)+sc.Rows)
	rows = append(rows, above...)
	for y := range sc.Rows {
		rows = append(rows, sc.Cells[y*sc.Cols:(y+1)*sc.Cols])
	}
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && len(rows[end-1]) > 0 && !blankCell(rows[end-1][len(rows[end-1])-1]) {
			end++
		}
		maskLine(rows[start:end], cover)
		start = end
	}
}

func blankCell(c Cell) bool { return c.Text == "" && !c.Cont }

// maskLine covers the secrets of one logical line, cell by cell.
func maskLine(rows [][]Cell, cover func(string) string) {
	var b strings.Builder
	var owners []*Cell // the cell of each rune of b
	for _, row := range rows {
		for i := range row {
			c := &row[i]
			if c.Cont {
				continue
			}
			t := c.Text
			if t == "" {
				t = " "
			}
			for _, r := range t {
				b.WriteRune(r)
				owners = append(owners, c)
			}
		}
	}
	text := b.String()
	covered := cover(text)
	if covered == text {
		return
	}
	i := 0
	for _, r := range covered {
		if i >= len(owners) {
			break
		}
		orig, size := utf8.DecodeRuneInString(text)
		text = text[size:]
		if r != orig {
			c := owners[i]
			c.Text, c.Wide = string(r), false
		}
		i++
	}
	// A wide grapheme covered is one "•" and a blank half.
	for _, row := range rows {
		for i := range row {
			if row[i].Cont && i > 0 && !row[i-1].Wide {
				row[i] = Cell{Text: "•", FG: row[i-1].FG, BG: row[i-1].BG}
			}
		}
	}
}
