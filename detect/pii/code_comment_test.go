package pii

import (
	"context"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// Source code that documents the marking formats it parses is not marked.
func TestMetadataQuotedInCodeCommentsIsNotAMarking(t *testing.T) {
	level := "SEC" + "RET"
	src := "package p\n\nimport \"strings\"\n\nvar x = 1\n\nfunc f(t string) string {\n" +
		"\t// Office custom property: name=\"ClassificationLevel\"><vt:lpwstr>" + level + "<...\n" +
		"\t// Classification: " + level + "\n" +
		"\treturn strings.TrimSpace(t)\n}\n\nvar y = 2\nvar z = 3\nvar w = 4\nvar v = 5\nvar u = 6\n"
	d := New(config.PersonalData{BulkThreshold: 10})
	fs, err := d.Detect(context.Background(), detect.NewTreeFragment("markings.go", src))
	if err != nil || len(fs) != 0 {
		t.Errorf("code comment quoting a marking reported: %+v %v", fs, err)
	}
	// The same property in a document's metadata is a marking.
	doc := strings.Repeat("text\n", 10) + "<property name=\"ClassificationLevel\"><vt:lpwstr>" + level + "</vt:lpwstr></property>\n" + strings.Repeat("text\n", 10)
	if fs, _ := d.Detect(context.Background(), detect.NewTreeFragment("docProps/custom.xml", doc)); len(fs) != 1 {
		t.Errorf("document metadata marking not reported: %+v", fs)
	}
}
