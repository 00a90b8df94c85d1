package simulator

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// leadsAPI is what the page's "Leads from your website" panel shows: the
// HTTP API's address and the development keys dev made for it. The raw keys
// live only here, in memory, and reach only the page (which anyone who can
// open the simulator may use anyway: it has no login).
type leadsAPI struct {
	url, formKey, secretKey string
}

// OfferAPI makes the page show how leads reach salesbot from outside: a
// web form snippet posting to apiURL with formKey (a form key whose origin
// is this page's), the same form live, and a curl example with secretKey.
// Without it the panel says the API is off.
func (s *Server) OfferAPI(apiURL, formKey, secretKey string) {
	s.mu.Lock()
	s.leads = &leadsAPI{url: strings.TrimSuffix(apiURL, "/"), formKey: formKey, secretKey: secretKey}
	s.mu.Unlock()
}

// leadsPanel is GET /sim/leads's answer. Snippet is HTML made with
// html/template, so the page may use it as markup; Curl is shell text,
// shown as text.
type leadsPanel struct {
	Available bool   `json:"available"`
	Origin    string `json:"origin,omitempty"` // the form key's one allowed origin: this page's
	Action    string `json:"action,omitempty"`
	Snippet   string `json:"snippet,omitempty"`
	Curl      string `json:"curl,omitempty"`
}

func (s *Server) handleLeads(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	l := s.leads
	s.mu.Unlock()
	if l == nil {
		writeJSON(w, http.StatusOK, leadsPanel{})
		return
	}
	action := l.url + "/v1/leads?key=" + url.QueryEscape(l.formKey)
	snippet, err := formSnippet(action, s.URL()+"thanks.html")
	if err != nil {
		http.Error(w, "simulator: the form snippet: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, leadsPanel{Available: true, Origin: strings.TrimSuffix(s.URL(), "/"), Action: action,
		Snippet: snippet, Curl: curlExample(l.url, l.secretKey)})
}

// snippetTemplate is the form a website owner pastes into a page. The
// honeypot is a text input moved off screen: people never see or fill it,
// form-filling bots do, and the API then drops the submission while
// answering as it does a real one. redirect is the page the visitor is
// sent to once the form is received (one of the form key's origins). The
// script fills the hidden fields from the page's address.
var snippetTemplate = template.Must(template.New("snippet").Parse(`<form action="{{.Action}}" method="post">
  <label>Company <input name="company" required maxlength="200"></label>
  <label>Your name <input name="contact_name" autocomplete="name"></label>
  <label>Email <input name="contact_email" type="email" autocomplete="email"></label>
  <label>Message <textarea name="message" rows="3"></textarea></label>
  <input type="hidden" name="utm_source">
  <input type="hidden" name="page_url">
  <input type="hidden" name="redirect" value="{{.Redirect}}">
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <label>Leave this empty <input name="honeypot" tabindex="-1" autocomplete="off"></label>
  </div>
  <button type="submit">Send</button>
</form>
<script>
  (function (form) {
    form.utm_source.value = new URLSearchParams(location.search).get("utm_source") || "";
    form.page_url.value = location.href;
  })(document.currentScript.previousElementSibling);
</script>
`))

func formSnippet(action, redirect string) (string, error) {
	var b bytes.Buffer
	if err := snippetTemplate.Execute(&b, struct{ Action, Redirect string }{action, redirect}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// curlExample is a server's call with the secret key: JSON, a bearer key,
// and an Idempotency-Key, so that running it twice creates one lead.
func curlExample(apiURL, secretKey string) string {
	body, _ := json.Marshal(map[string]string{
		"company": "Globex", "contact_name": "Hank Scorpio", "contact_email": "hank@globex.example",
		"message": "Wants a demo for 40 seats", "utm_source": "crm",
	})
	return strings.Join([]string{
		"curl -sS -X POST " + shellQuote(apiURL+"/v1/leads") + ` \`,
		"  -H " + shellQuote("Authorization: Bearer "+secretKey) + ` \`,
		"  -H 'Content-Type: application/json' \\",
		"  -H 'Idempotency-Key: crm-lead-1001' \\",
		"  -d " + shellQuote(string(body)),
	}, "\n")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
