package pii

import (
	"context"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

func TestMarkingPositives(t *testing.T) {
	cases := []struct{ path, text, class string }{
		{"docs/brief.md", "OFFICIAL\n\n# Project brief\n\nText.\n\nOFFICIAL\n", "official"},
		{"docs/brief.md", "**OFFICIAL-SENSITIVE**\n\n# Budget\n", "official-sensitive"},
		{"docs/brief.txt", "OFFICIAL-SENSITIVE: COMMERCIAL\nSupplier pricing follows.\n", "official-sensitive"},
		{"docs/brief.txt", "OFFICIAL – SENSITIVE PERSONAL\n", "official-sensitive"},
		{"docs/brief.md", "OFFICIAL-SENSITIVE: Hospital capacity plan\n", "official-sensitive"},
		{"docs/ops.md", "<!-- OFFICIAL-SENSITIVE LOCSEN -->\n# Ops\n", "official-sensitive"},
		{"docs/ops.md", "# Notes\nSECRET UK EYES ONLY\n", "classified-secret"},
		{"docs/ops.txt", "TOP SECRET STRAP1\n", "classified-secret"},
		{"docs/ops.txt", "[SECRET] Operation notes\n", "classified-secret"},
		{"docs/legacy.txt", "RESTRICTED\nOld memo\n", "official-sensitive"},
		{"docs/legacy.txt", "PROTECT - PERSONAL\n", "official-sensitive"},
		{"docs/legacy.txt", "CONFIDENTIAL\n", "official-sensitive"},
		{"docs/legacy.txt", "UK CONFIDENTIAL\n", "classified-secret"},
		{"docs/meta.md", "---\ntitle: Plan\nclassification: OFFICIAL-SENSITIVE\n---\n", "official-sensitive"},
		{"docs/props.xml", `<property name="ClassificationLevel"><vt:lpwstr>SECRET</vt:lpwstr></property>`, "classified-secret"},
		{"docs/custom.xml", "MSIP_Label_3f2c1a4e-0000-4000-8000-000000000001_Name=OFFICIAL-SENSITIVE\n", "official-sensitive"},
		{"docs/custom.xml", `<property name="MSIP_Label_3f2c1a4e-0000-4000-8000-000000000001_Name"><vt:lpwstr>Official Sensitive</vt:lpwstr></property>`, "official-sensitive"},
		{"src/report.py", "# OFFICIAL-SENSITIVE\nimport os\n", "official-sensitive"},
		{"src/main.go", "// SECRET\npackage main\n", "classified-secret"},
		{"src/report.py", "\"\"\"OFFICIAL-SENSITIVE\"\"\"\nimport os\n", "official-sensitive"},
		{"site/page.html", "<p class=\"banner\"><strong>OFFICIAL</strong></p>\n", "official"},
		{"docs/minutes.md", "Official – Sensitive\n\nMinutes of the meeting.\n", "official-sensitive"},
	}
	for _, c := range cases {
		fs := run(t, c.path, c.text)
		if len(fs) != 1 || fs[0].Class != c.class {
			t.Errorf("%s %q: want one %s finding, got %v", c.path, c.text, c.class, rules(fs))
		}
	}
}

// TestMarkingInDiff checks that a banner comment added to the middle of a
// code file is a section label, while one added as the file header counts.
func TestMarkingInDiff(t *testing.T) {
	d := New(config.PersonalData{BulkThreshold: 10})
	mid := detect.NewDiffFragment("app/settings.py", detect.StageHistory, nil, "# SECRET\nTOKEN = env('TOKEN')", []int{40, 41}, nil)
	if fs, _ := d.Detect(context.Background(), mid); len(fs) != 0 {
		t.Errorf("mid-file comment reported: %v", rules(fs))
	}
	top := detect.NewDiffFragment("app/settings.py", detect.StageHistory, nil, "# OFFICIAL-SENSITIVE\nimport os", []int{1, 2}, nil)
	if fs, _ := d.Detect(context.Background(), top); len(fs) != 1 || fs[0].StartLine != 1 {
		t.Errorf("header marking not reported at line 1: %v", rules(fs))
	}
}

func TestMarkingNegatives(t *testing.T) {
	cases := []struct{ path, text string }{
		{"k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"},
		{"app/auth.py", "client_secret = os.environ['CLIENT_SECRET']\nSECRET_KEY = 'x'\n"},
		{"app/levels.java", "enum Level {\n    OFFICIAL,\n    SECRET,\n    TOP_SECRET\n}\n"},
		{"app/levels.go", "const (\n\tOFFICIAL Level = iota\n\tSECRET\n)\n"},
		{"docs/readme.md", "See the Official documentation for details. Keep your secret safe.\n"},
		{"docs/readme.md", "| Level | Meaning |\n|---|---|\n| OFFICIAL | routine |\n| SECRET | serious threats |\n"},
		{"docs/readme.md", "- OFFICIAL\n- SECRET\n"},
		{".github/workflows/ci.yml", "env:\n  SECRET: ${{ secrets.TOKEN }}\n"},
		{"infra/main.tf", "tags = {\n  DataClassification = \"confidential\"\n}\n"},
		{"scripts/run.sh", "#SECRET=\"\"\nexport SECRET=abc\n"},
		{"docs/policy.md", "The Government Security Classifications policy defines OFFICIAL, SECRET and TOP SECRET.\n"},
		{"app/config.yaml", "classification: secret\n"},
		{"deploy/app.env", "A=1\nB=2\nC=3\nD=4\nE=5\n# SECRET\nAPI_KEY=x\nF=6\nG=7\nH=8\nI=9\nJ=10\n"},
		{"docs/guide.md", "## Secret\n\nStore it in the vault.\n\nOfficial\n"},
	}
	for _, c := range cases {
		if fs := run(t, c.path, c.text); len(fs) != 0 {
			t.Errorf("%s %q: want nothing, got %v", c.path, c.text, rules(fs))
		}
	}
}
