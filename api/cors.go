package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/sales"
)

// preflightMaxAge is how long a browser may keep a preflight's answer, in
// seconds: short, so an origin taken off a key stops working soon.
const preflightMaxAge = "600"

// formRules are what a form key may do: create leads only, from the pages
// of its origins, at its IP's rate. It answers the refusal itself and
// reports whether the request may go on. Browsers may read the answers
// (Access-Control-Allow-Origin) of the key's own origins only.
func (s *server) formRules(a huma.API, ctx huma.Context, k sales.APIKey, formOK bool) bool {
	ctx.AppendHeader("Vary", "Origin")
	o := requestOrigin(ctx.Header("Origin"), ctx.Header("Referer"))
	allowed := o != "" && slices.Contains(k.AllowedOrigins, o)
	if allowed {
		ctx.SetHeader("Access-Control-Allow-Origin", o)
		ctx.SetHeader("Access-Control-Expose-Headers", "Retry-After")
	}
	switch {
	case !formOK:
		_ = huma.WriteErr(a, ctx, http.StatusForbidden, "A form key can only create leads (POST /v1/leads); read deals with a secret key.")
		return false
	case o == "":
		_ = huma.WriteErr(a, ctx, http.StatusForbidden, "A form key works only from the web pages of its origins, and this request has no Origin or Referer header to tell where it comes from.")
		return false
	case !allowed:
		_ = huma.WriteErr(a, ctx, http.StatusForbidden, fmt.Sprintf("The origin %.100s is not one of this form key's origins; an admin can make a form key for it with /salesbot apikey new <label> form <origins…>.", o))
		return false
	}
	if ok, wait := s.ipRate.take(clientIP(ctx.RemoteAddr(), ctx.Header("X-Forwarded-For"), s.trustProxy)); !ok {
		tooMany(a, ctx, wait, "This address sent more form submissions than its rate limit allows.")
		return false
	}
	return true
}

// preflight answers a browser's CORS preflight for POST /v1/leads. With the
// key in the query it answers for that key's origins; a key in a header
// does not come with a preflight, so then it answers for an origin any live
// form key lists. The POST itself is checked against its own key.
func (s *server) preflight(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Origin")
	o := requestOrigin(r.Header.Get("Origin"), "")
	var ok bool
	var err error
	if raw := strings.TrimSpace(r.URL.Query().Get("key")); raw != "" && o != "" {
		var k sales.APIKey
		k, err = s.keys.CheckKey(r.Context(), raw)
		ok = err == nil && k.Kind == sales.KeyForm && slices.Contains(k.AllowedOrigins, o)
		if errors.Is(err, sales.ErrBadKey) {
			err = nil
		}
	} else if o != "" {
		ok, err = s.keys.FormOrigin(r.Context(), o)
	}
	switch {
	case err != nil:
		s.log.Error("api: preflight", "error", err)
		problem(w, http.StatusInternalServerError, "The origin could not be checked; try again.")
	case o == "":
		problem(w, http.StatusForbidden, "A preflight names its origin in the Origin header.")
	case !ok:
		problem(w, http.StatusForbidden, fmt.Sprintf("The origin %.100s is not one of the form key's origins.", o))
	default:
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Methods", "POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Idempotency-Key")
		h.Set("Access-Control-Max-Age", preflightMaxAge)
		w.WriteHeader(http.StatusNoContent)
	}
}

// problem writes an RFC 9457 problem outside huma's operations.
func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(&huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
}

// requestOrigin is the origin a browser says the request comes from: its
// Origin header, else its Referer's scheme://host; "" when neither says.
func requestOrigin(origin, referer string) string {
	if o := strings.TrimSpace(origin); o != "" {
		if u, err := url.Parse(o); err == nil && u.Scheme != "" && u.Host != "" {
			return strings.ToLower(u.Scheme + "://" + u.Host)
		}
		return o // "null" and the like: named in the refusal, never allowed
	}
	if u, err := url.Parse(strings.TrimSpace(referer)); err == nil && u.Scheme != "" && u.Host != "" {
		return strings.ToLower(u.Scheme + "://" + u.Host)
	}
	return ""
}

// clientIP is the address the IP rate limit counts: the connection's, or
// behind a trusted proxy the last X-Forwarded-For entry, which that proxy
// added (earlier entries are whatever the client claimed). An IPv6 client
// counts by its /64, which one subscriber usually holds whole.
func clientIP(remote, forwarded string, trustProxy bool) string {
	ip := remote
	if host, _, err := net.SplitHostPort(remote); err == nil {
		ip = host
	}
	if trustProxy {
		parts := strings.Split(forwarded, ",")
		if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
			ip = last
		}
	}
	if a, err := netip.ParseAddr(ip); err == nil && a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return ip
}
