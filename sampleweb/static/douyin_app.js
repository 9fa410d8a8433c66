// The Douyin look-alike's page script: the raw HTML is an empty shell; this fetches the
// profile JSON (with a signature only this script computes) and builds the DOM.
(function () {
  "use strict";
  var secUid = decodeURIComponent(location.pathname.split("/").pop());

  function signature(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) { h = (h * 31 + text.charCodeAt(i)) % 1000003; }
    return String(h);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render(data) {
    var root = document.getElementById("root");
    root.innerHTML = "";
    if (data.status_code !== 0) {
      root.appendChild(el("div", {"data-e2e": "user-not-found"}, data.status_msg || "用户不存在"));
      document.body.setAttribute("data-rendered", "1");
      return;
    }
    var user = data.user;
    var info = el("div", {"data-e2e": "user-info"});
    info.appendChild(el("h1", {"data-e2e": "user-name"}, user.nickname));
    if (user.custom_verify) { info.appendChild(el("p", {"data-e2e": "user-verify"}, "认证：" + user.custom_verify)); }
    info.appendChild(el("span", {"data-e2e": "user-fans"}, "粉丝 " + user.follower_count));
    info.appendChild(el("span", {"data-e2e": "user-works"}, "作品 " + user.aweme_count));
    root.appendChild(info);
    var list = el("ul", {"data-e2e": "scroll-list"});
    data.aweme_list.forEach(function (aweme) {
      var item = el("li", {"data-e2e": "post", "data-id": aweme.aweme_id, "data-time": String(aweme.create_time),
                           "data-pinned": aweme.is_top ? "1" : "0"});
      if (aweme.is_top) { item.appendChild(el("span", {"class": "pinned"}, "置顶")); }
      item.appendChild(el("a", {"href": "/douyin/video/" + aweme.aweme_id}, aweme.desc));
      item.appendChild(el("span", {"class": "likes"}, String(aweme.digg_count)));
      list.appendChild(item);
    });
    root.appendChild(list);
    document.body.setAttribute("data-rendered", "1");
  }

  fetch("/douyin/web/api/profile?sec_uid=" + encodeURIComponent(secUid) + "&_signature=" + signature(secUid))
    .then(function (r) { return r.json(); })
    .then(render);
})();
