//! The session's corner of the page: the banner of a shared link's scratch workspace, the
//! two-tab conflict banner, the share link, and the "세션 / Session" panel (the cookie, the
//! stored keys and their sizes, new session, reset, export and import).

use crate::controller::Controller;
use leptos::prelude::*;
use sqlnori_model::csv;

/// Props: the `controller`.
#[component]
pub fn SessionBanners(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    let scratch = move || {
        state.scratch.get().then(|| {
            view! {
                <div class="notice shared" role="status" data-testid="shared-banner">
                    {move || lang.get().pick(
                        "공유된 스크립트를 예제 데이터로 열었습니다. 실행하기 전까지 아무것도 바뀌지 않고, 내 세션에는 저장되지 않습니다.",
                        "A shared script, opened on the example data. Nothing runs until you press Run, and nothing is saved to your session.")}
                    " "
                    <button data-testid="keep-shared" on:click=move |_| c.with_value(Controller::keep_shared)>
                        {move || lang.get().pick("내 세션으로 유지", "Keep as my session")}
                    </button>
                    <button data-testid="leave-shared" on:click=move |_| c.with_value(Controller::leave_shared)>
                        {move || lang.get().pick("내 세션으로 돌아가기", "Back to my session")}
                    </button>
                </div>
            }
        })
    };
    let conflict = move || {
        state.conflict.get().then(|| {
            view! {
                <div class="notice warning" role="alert" data-testid="conflict">
                    {move || lang.get().pick(
                        "다른 탭에서 이 세션을 바꿨습니다. 이 탭은 저장을 멈췄습니다.",
                        "Another tab changed this session; this tab stopped saving.")}
                    " "
                    <button data-testid="keep-this-tab" on:click=move |_| c.with_value(Controller::keep_this_tab)>
                        {move || lang.get().pick("이 탭의 작업 저장", "Save this tab's work")}
                    </button>
                    <button on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.location().reload(); } }>
                        {move || lang.get().pick("다른 탭의 작업 불러오기", "Load the other tab's work")}
                    </button>
                </div>
            }
        })
    };
    let share = move || {
        state.share.get().map(|link| match link {
            Ok(url) => {
                if let Some(w) = web_sys::window() {
                    // Headless or permission-less browsers refuse; the link is shown anyway.
                    let _ = w.navigator().clipboard().write_text(&url);
                }
                view! {
                    <div class="share" data-testid="share-box">
                        <label>{move || lang.get().pick("공유 링크 (복사됨)", "Share link (copied)")}" "
                            <input data-testid="share-link" readonly size="60" prop:value=url.clone()/>
                        </label>
                    </div>
                }
                .into_any()
            }
            Err(why) => view! {
                <div class="share error" data-testid="share-error">
                    {move || lang.get().text(&why)}" "
                    <button data-testid="share-download" on:click=move |_| {
                        let text = state.editor.get_untracked();
                        super::download("script.sql", text.as_bytes(), "application/sql");
                    }>{move || lang.get().pick(".sql로 내려받기", "Download .sql")}</button>
                </div>
            }
            .into_any(),
        })
    };
    let unsaved = move || {
        state.unsaved.get().map(|text| {
            view! { <div class="notice warning" role="alert" data-testid="unsaved">{move || lang.get().text(&text)}</div> }
        })
    };
    view! { {unsaved} {scratch} {conflict} {share} }
}

/// Props: the `controller`.
#[component]
pub fn SessionPanel(controller: Controller) -> impl IntoView {
    let state = controller.state;
    let lang = state.lang;
    let c = StoredValue::new_local(controller);
    let refresh = RwSignal::new(0u32);
    let confirm_reset = RwSignal::new(false);
    // The session whose Delete was pressed once (a second press deletes).
    let confirm_delete = RwSignal::new(None::<String>);
    let info = move || {
        refresh.get();
        state.session_open.get();
        c.with_value(Controller::session_info)
    };
    let export = move |_| {
        let rx = c.with_value(Controller::dump);
        leptos::task::spawn_local(async move {
            if let Ok(sql) = rx.await {
                super::download("sqlnori-dump.sql", sql.as_bytes(), "application/sql");
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some((_, file)) = super::chosen_file(&ev) else {
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            let Some(text) = super::file_text(&file).await else {
                return;
            };
            let sql = if name.to_lowercase().ends_with(".csv") {
                csv::csv_to_sql(&csv::table_name_for(&name), &text).map_err(|e| e.localized())
            } else {
                Ok(text)
            };
            match sql {
                Ok(sql) => c.with_value(|c| {
                    c.replace_editor(
                        sql,
                        sqlnori_model::Localized::new(
                            format!(
                                "{} 편집기에 넣었습니다. 확인하고 실행을 누르세요.",
                                sqlnori_model::korean::eul(&name)
                            ),
                            format!("{name} is in the editor; check it and press Run."),
                        ),
                    );
                }),
                Err(why) => state.notice.set(Some(crate::controller::Notice {
                    warning: true,
                    text: why,
                    undo: None,
                })),
            }
        });
    };
    view! {
        <Show when=move || state.session_open.get()>
            <section class="session-panel" data-testid="session-panel" aria-label=move || lang.get().pick("세션", "Session")>
                <h2>{move || lang.get().pick("세션: 쿠키 → 세션 id → 저장소", "Session: cookie → session id → storage")}</h2>
                <p class="explain">{move || lang.get().pick(
                    "강의의 세션과 같은 구조입니다. 쿠키는 세션 id만 들고 있고, 상태는 그 id로 만든 키 아래 저장소(localStorage)에 있습니다.",
                    "The course's session design: the cookie carries only the session id; the state lives in storage (localStorage) under keys made from it.")}</p>
                <h3>{move || lang.get().pick("쿠키", "Cookie")}</h3>
                <code data-testid="cookie-line">{move || info().0}</code>
                <h3>{move || lang.get().pick("저장된 키", "Stored keys")}</h3>
                {move || {
                    // One table drawn at once (a key list that changes redraws whole).
                    let l = lang.get();
                    let rows = info()
                        .1
                        .into_iter()
                        .map(|(k, size)| view! {
                            <tr><td><code>{k}</code></td><td class="num">{format!("{size} B")}</td></tr>
                        })
                        .collect_view();
                    view! {
                        <table data-testid="stored-keys">
                            <thead><tr><th>{l.pick("키", "key")}</th><th>{l.pick("크기", "size")}</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                }}
                {move || (!info().2).then(|| view! {
                    <p class="warning">{move || lang.get().pick("저장소를 쓸 수 없어 이 창에서만 작업합니다.", "Storage is unavailable: work stays in this window.")}</p>
                })}
                <div class="session-actions">
                    <button on:click=move |_| refresh.update(|r| *r += 1)>{move || lang.get().pick("새로 보기", "Refresh")}</button>
                    <button data-testid="export-sql" on:click=export>{move || lang.get().pick(".sql로 내보내기", "Export .sql")}</button>
                    <label class="import">{move || lang.get().pick("가져오기 (.sql, .csv) ", "Import (.sql, .csv) ")}
                        <input type="file" accept=".sql,.csv,text/csv,text/plain" data-testid="import-file" on:change=import/>
                    </label>
                    <button data-testid="new-session" on:click=move |_| c.with_value(Controller::new_session)>
                        {move || lang.get().pick("새 세션", "New session")}
                    </button>
                    <button data-testid="reset-examples" on:click=move |_| confirm_reset.set(true)>
                        {move || lang.get().pick("예제로 초기화", "Reset to examples")}
                    </button>
                </div>
                {move || confirm_reset.get().then(|| view! {
                    <p class="confirm" role="alertdialog" data-testid="reset-confirm-box">
                        {move || lang.get().pick(
                            "이 세션의 데이터베이스, 편집기, 실행 기록을 지우고 예제로 돌아갑니다. 되돌릴 수 없습니다. (레슨 진도는 남습니다.) ",
                            "This session's database, editor and history go, and the examples come back. This cannot be undone. (Lesson progress stays.) ")}
                        <button class="danger" data-testid="reset-confirm" on:click=move |_| c.with_value(Controller::reset_to_examples)>
                            {move || lang.get().pick("초기화", "Reset")}
                        </button>
                        <button data-testid="reset-cancel" on:click=move |_| confirm_reset.set(false)>
                            {move || lang.get().pick("취소", "Cancel")}
                        </button>
                    </p>
                })}
                <h3>{move || lang.get().pick("이 브라우저의 세션", "Sessions in this browser")}</h3>
                {move || {
                    refresh.get();
                    state.session_open.get();
                    let l = lang.get();
                    let current = c.with_value(Controller::session_id);
                    let rows = c
                        .with_value(Controller::sessions)
                        .into_iter()
                        .map(|s| {
                            let id = s.id.clone();
                            let here = id == current;
                            let (open_id, delete_id, shown_id) = (id.clone(), id.clone(), id.clone());
                            let actions = if here {
                                view! { <span class="meta">{l.pick("지금 이 세션", "this session")}</span> }.into_any()
                            } else {
                                view! {
                                    <button data-testid="session-open" on:click=move |_| c.with_value(|c| c.switch_session(&open_id))>
                                        {l.pick("열기", "Open")}
                                    </button>
                                    <button data-testid="session-delete" on:click=move |_| {
                                        if confirm_delete.get_untracked().as_deref() == Some(delete_id.as_str()) {
                                            c.with_value(|c| c.delete_session(&delete_id));
                                            confirm_delete.set(None);
                                            refresh.update(|r| *r += 1);
                                        } else {
                                            confirm_delete.set(Some(delete_id.clone()));
                                        }
                                    }>
                                        {move || if confirm_delete.get().as_deref() == Some(shown_id.as_str()) {
                                            lang.get().pick("정말 삭제", "Really delete")
                                        } else {
                                            lang.get().pick("삭제", "Delete")
                                        }}
                                    </button>
                                }
                                .into_any()
                            };
                            view! {
                                <tr data-testid="stored-session" data-id=id.clone() data-current=here.to_string()>
                                    <td><code>{id.chars().take(8).collect::<String>()}</code></td>
                                    <td class="first-line">{s.first_line.clone()}</td>
                                    <td class="num">{format!("{} KB", s.bytes.div_ceil(1024))}</td>
                                    <td>{actions}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! { <table class="sessions" data-testid="sessions"><tbody>{rows}</tbody></table> }
                }}
            </section>
        </Show>
    }
}
